// The spec's example as a running server has it (LiveCapabilities), for one test
// file, and a check recorded on it as the server records one.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { capabilitiesSource } from '../../src/cli/session.js';
import { check } from '../../src/core/checkPromise.js';
import { Ledger } from '../../src/core/commitments/ledger.js';
import { parsePromise } from '../../src/core/promise.js';
import type { CapabilitiesSource, CheckToRecord } from '../../src/log/log.js';
import { outcomeJson } from '../../src/log/outcomeJson.js';
import { LiveCapabilities } from '../../src/serve/live.js';
import { SPEC_EXAMPLE } from './cli.js';

const NOW = new Date('2026-11-23T09:00:00Z');

export function liveExample(dir: string): { caps(): CapabilitiesSource; row(qty: number, rep?: string): CheckToRecord } {
  let live: LiveCapabilities;
  beforeAll(async () => {
    const file = join(dir, 'capabilities.yaml');
    copyFileSync(SPEC_EXAMPLE, file);
    const started = await LiveCapabilities.start(file, () => {});
    if ('failed' in started) throw new Error(started.failed);
    live = started;
  });
  afterAll(() => live.stop());
  return {
    caps: () => capabilitiesSource(live.current.loaded),
    /** `qty` PUMP-100 to DE by 4 December, checked with no commitments: the row checkServed makes. */
    row(qty, rep = 'ana') {
      const parsed = parsePromise({ kind: 'delivery', sku: 'PUMP-100', qty, to: 'DE', by: '2026-12-04' });
      if (!parsed.ok) throw new Error(parsed.message);
      const outcome = check(live.current.model, parsed.promise, Ledger.of([]), NOW);
      return { outcome, json: outcomeJson(outcome), now: '2026-11-23T10:00:00+01:00', rep, customer: null, eventsSeen: 0 };
    },
  };
}
