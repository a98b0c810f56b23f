import { readFileSync } from 'node:fs';
import { parseCapabilities } from '../../src/capabilities/load.js';
import { compile, type Model } from '../../src/core/model.js';
import { SPEC_EXAMPLE } from './cli.js';

/** The contract's example company, compiled. */
export function specModel(): Model {
  const r = parseCapabilities(readFileSync(SPEC_EXAMPLE, 'utf8'), SPEC_EXAMPLE, new Date('2026-11-23T09:00:00Z'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return compile(r.value.caps, r.value.catalogue);
}
