// promise stats, in process.
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany, NOW } from '../../../test/helpers/logged.js';
import { runOutcome } from '../outcome/outcome.js';
import { runStats } from './stats.js';

const dir = tempDir();

describe('promise stats', () => {
  it('hit rate of outcomes and the share of risky checks, by sku, region and rep', async () => {
    const { check, commit, log } = loggedCompany(dir, 'stats');
    const ids = [(await check(5, { rep: 'anna' })).id, (await check(6, { rep: 'anna' })).id, (await check(7, { rep: 'ben' })).id];
    await check(5000, { rep: 'ben' });
    for (const id of ids) expect((await commit(id)).code).toBe(0);
    const outcome = (id: number, met: boolean) => inProcess((io) => runOutcome(String(id), { log, now: NOW, met, missed: !met }, io));
    await outcome(ids[0]!, true);
    await outcome(ids[1]!, false);
    await outcome(ids[2]!, true);
    const stats = JSON.parse((await inProcess((io) => runStats({ log, json: true }, io))).stdout).groups;
    expect(stats).toContainEqual(expect.objectContaining({ by: 'rep', group: 'anna', committed: 2, met: 1, missed: 1, hit_rate_pct: 50 }));
    expect(stats).toContainEqual(expect.objectContaining({ by: 'rep', group: 'ben', checks: 2, infeasible_pct: 50, met: 1, hit_rate_pct: 100 }));
    expect(stats).toContainEqual(expect.objectContaining({ by: 'sku', group: 'PUMP-100', checks: 4, hit_rate_pct: 66.7 }));
  });

  it('lateness in workdays, by month, and the demand turned away', async () => {
    const { check, commit, log } = loggedCompany(dir, 'learning');
    const a = (await check(5, { by: '2026-11-27' })).id; // promised Friday 27 November
    const b = (await check(6, { by: '2026-11-27' })).id;
    await check(500); // infeasible, never committed: lost demand
    await check(400, { to: 'AT' });
    for (const id of [a, b]) await commit(id);
    const outcome = (id: number, on: string, met: boolean) =>
      inProcess((io) => runOutcome(String(id), { log, now: '2026-12-10T12:00', met, missed: !met, on }, io));
    expect((await outcome(a, '2026-12-02', false)).stdout).toBe(`Check ${a} recorded as missed on 2026-12-02, 3 workdays late\n`); // Mon 30, Tue 1, Wed 2
    await outcome(b, '2026-11-26', true);
    const stats = JSON.parse((await inProcess((io) => runStats({ log, json: true, by: 'month' }, io))).stdout);
    expect(stats.groups).toEqual([
      expect.objectContaining({ by: 'month', group: '2026-11', checks: 4, met: 1, missed: 1, avg_late_workdays: 1.5, worst_late_workdays: 3 }),
    ]);
    expect(stats.lost_demand).toEqual([
      { sku: 'PUMP-100', region: 'DE', checks: 1, units: 500 },
      { sku: 'PUMP-100', region: 'AT', checks: 1, units: 400 },
    ]);
    expect((await inProcess((io) => runStats({ log, by: 'week' }, io))).stderr).toBe('promise: --by: "week" is not one of sku, region, rep, month\n');
  });
});
