// promise log, in process.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany } from '../../../test/helpers/logged.js';
import { runReplay } from '../replay/replay.js';
import { runStats } from '../stats/stats.js';
import { type LogOptions, runLog } from './listChecks.js';
import { runLogVerify } from './verify/verify.js';

const dir = tempDir();
const list = (opts: Partial<LogOptions>) => inProcess((io) => runLog({ limit: '1000', ...opts }, io));

describe('promise log', () => {
  it('read-only commands on a log that does not exist: exit 2 naming it, and nothing is created', async () => {
    const typo = join(dir, 'typo.db');
    const message = `promise: no log at ${typo} (nothing has been recorded there; check --log or $PROMISE_LOG)\n`;
    for (const run of [
      () => list({ log: typo }),
      () => inProcess((io) => runStats({ log: typo }, io)),
      () => inProcess((io) => runLogVerify({ log: typo }, io)),
      () => inProcess((io) => runReplay('1', { log: typo }, io)),
    ]) {
      expect(await run()).toMatchObject({ code: 2, stdout: '', stderr: message });
    }
    expect((await list({ log: typo })).code).toBe(2); // still not there
  });

  it('what reps and customers typed is escaped in the table', async () => {
    const { check, log } = loggedCompany(dir, 'escape');
    await check(5, { customer: 'ACME\u001b[2J\u202eevil' });
    const r = await list({ log });
    expect(r.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(r.stdout).toContain('ACME\\u{1B}[2J\\u{202E}evil');
  });

  it('--csv: recorded_at is the full ISO 8601 instant with its offset (issue 22)', async () => {
    const { check, log } = loggedCompany(dir, 'csv');
    await check(5);
    const [header, row] = (await list({ log, csv: true })).stdout.trim().split('\n');
    expect(header!.split(',')[1]).toBe('recorded_at');
    expect(row!.split(',')[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(row!.split(',')[1]!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('filters by verdict and status; bad filters are exit 2', async () => {
    const { check, commit, log } = loggedCompany(dir, 'filters');
    const a = await check(5, { customer: 'ACME' });
    await check(500);
    await commit(a.id);
    const open = JSON.parse((await list({ log, status: 'open', json: true })).stdout);
    expect(open.map((r: { id: number }) => r.id)).toEqual([a.id]);
    expect(JSON.parse((await list({ log, verdict: 'infeasible', json: true })).stdout)).toHaveLength(1);
    expect((await list({ log, verdict: 'maybe' })).code).toBe(2);
    expect((await list({ log, limit: '0x10' })).stderr).toBe('promise: --limit must be a whole number of rows\n');
  });
});
