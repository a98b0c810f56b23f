// A log in a temp dir with checks made in process on the spec example, for the
// tests of commands that work on recorded checks.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CheckOptions, runCheck } from '../../src/commands/check/check.js';
import { type CommitOptions, runCommit } from '../../src/commands/commit/commit.js';
import { SPEC_EXAMPLE } from './cli.js';
import { inProcess } from './io.js';

export const NOW = '2026-11-23T10:00';

/** `log`: a file or postgres:// URL; else `name`.db in `dir`. */
export function loggedCompany(dir: string, name: string, log = join(dir, `${name}.db`)) {
  const capabilities = join(dir, `${name}.yaml`);
  copyFileSync(SPEC_EXAMPLE, capabilities);
  /** Checks qty PUMP-100 to DE by 4 December (or as `extra` says); returns its --json result. */
  const check = async (qty: number, extra: Partial<CheckOptions> = {}) => {
    const r = await inProcess((io) =>
      runCheck({ capabilities, log, now: NOW, input: false, json: true, sku: 'PUMP-100', qty: String(qty), to: 'DE', by: '2026-12-04', ...extra }, io),
    );
    if (r.code === 2 || r.code === 4) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as { id: number; verdict: string; alternatives: { kind: string }[] };
  };
  const commit = (id: number, extra: Partial<CommitOptions> = {}) => inProcess((io) => runCommit(String(id), { log, now: NOW, ...extra }, io));
  return { log, capabilities, check, commit };
}
