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
    const stats = JSON.parse((await inProcess((io) => runStats({ log, json: true }, io))).stdout);
    expect(stats).toContainEqual(expect.objectContaining({ by: 'rep', group: 'anna', committed: 2, met: 1, missed: 1, hit_rate_pct: 50 }));
    expect(stats).toContainEqual(expect.objectContaining({ by: 'rep', group: 'ben', checks: 2, infeasible_pct: 50, met: 1, hit_rate_pct: 100 }));
    expect(stats).toContainEqual(expect.objectContaining({ by: 'sku', group: 'PUMP-100', checks: 4, hit_rate_pct: 66.7 }));
  });
});
