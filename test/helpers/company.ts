// A company from fixtures/companies/, parsed and compiled, with its zone's clock.
import { readFileSync } from 'node:fs';
import { parseCapabilities } from '../../src/capabilities/load.js';
import { compile, type Model } from '../../src/core/model.js';
import { parseNow } from '../../src/core/time/clock.js';
import { fixture } from './cli.js';

export function company(name: string, nowText: string): { model: Model; now: Date; file: string } {
  const file = fixture(`companies/${name}.yaml`);
  const caps = parseCapabilities(readFileSync(file, 'utf8'), file, new Date(0));
  if (!caps.ok) throw new Error(JSON.stringify(caps.problems));
  const now = parseNow(nowText, caps.value.caps.timezone);
  if (typeof now === 'string') throw new Error(now);
  return { model: compile(caps.value.caps, caps.value.catalogue), now, file };
}
