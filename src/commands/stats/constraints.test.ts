// stats --constraints: five lost checks of different kinds and a broken
// commitment on the spec example, each worked by hand (in the comments), on a
// real SQLite file and a real PostgreSQL database.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany } from '../../../test/helpers/logged.js';
import { freshDatabase } from '../../../test/helpers/teamLog.js';
import { closeLogs } from '../../log/log.js';
import { runOutcome } from '../outcome/outcome.js';
import { runStats } from './stats.js';

const dir = tempDir();
afterEach(() => closeLogs());

for (const backend of ['SQLite', 'PostgreSQL'] as const) {
  describe(`stats --constraints on the ${backend} log`, () => {
    it('names the constraint behind each lost check and broken commitment, and how much more would have won it', async () => {
      const log = backend === 'SQLite' ? join(dir, 'constraints.db') : await freshDatabase('constraints');
      const company = loggedCompany(dir, `constraints-${backend}`, log);
      // Checked Monday 2026-11-23 10:00 in Berlin, on the spec example.
      const lost = async (extra: Record<string, string>) => {
        const r = await company.check(Number(extra.qty ?? 10), extra);
        expect(r.verdict).toBe('infeasible');
        await closeLogs();
        return r.id;
      };
      const ids = {
        stock: await lost({ qty: '200', to: 'DE', by: '2026-12-04' }),
        capacity: await lost({ sku: 'PUMP-900', qty: '8', to: 'DE', by: '2026-12-17' }),
        handling: await lost({ to: 'GB', by: '2026-12-01' }),
        lane: await lost({ to: 'GB', by: '2026-11-27' }),
        noLane: await lost({ to: 'US', by: '2026-12-18' }),
      };
      const kept = await company.check(5, { to: 'DE', by: '2026-11-26', method: 'express' });
      expect((await company.commit(kept.id, { ref: 'SO-1' })).code).toBe(0);
      const csv = join(dir, `late-${backend}.csv`);
      writeFileSync(csv, 'ref,delivered\nSO-1,2026-12-01\n');
      expect((await inProcess((io) => runOutcome(undefined, { log, input: csv, now: '2026-12-10T12:00' }, io))).stdout).toBe(
        'Outcomes: 0 met, 1 missed, 0 already recorded\n',
      );
      const r = await inProcess((io) => runStats({ log, constraints: true, json: true, capabilities: company.capabilities, now: '2026-12-10T12:00' }, io));
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { constraints: unknown[]; cases: { id: number; constraint: unknown }[] };
      const of = (id: number) => out.cases.find((c) => c.id === id)?.constraint;
      // 200 PUMP-100 to DE by Fri 4 Dec: berlin has 120 (incoming 14 Dec is too late), rotterdam 40.
      // 80 more at berlin ship all 200 on its ready day, Tue 24 Nov (order day Mon 23 before the 14:00
      // cut-off + 1 handling day); rotterdam would need 160.
      expect(of(ids.stock)).toEqual({ kind: 'stock', at: 'berlin', sku: 'PUMP-100', more: 80, by: '2026-11-24' });
      // 8 PUMP-900 by Thu 17 Dec: built to order at berlin, 15 workdays from Mon 23 Nov: ready Mon 14 Dec;
      // 4 a week finish the 8th unit in the week of 21 Dec (too late); 7 a week likewise; 8 a week
      // finish all 8 on 14 Dec, express to DE on Tue 15 Dec. So 4 units/week more.
      expect(of(ids.capacity)).toEqual({ kind: 'capacity', at: 'berlin', sku: 'PUMP-900', more: 4 });
      // 10 to GB by Tue 1 Dec: only rotterdam (before its 12:00 cut-off: order day Mon 23, 2 handling
      // days: Wed 25, 5 transit: Wed 2 Dec): one workday late. Stock does not help; 1 handling day does.
      expect(of(ids.handling)).toEqual({ kind: 'handling', at: 'rotterdam', sku: 'PUMP-100', more: 1 });
      // The same by Fri 27 Nov: three workdays late; handling can give 2 at most; the lane 3 faster
      // (5 → 2: Wed 25 + 2 = Fri 27) does.
      expect(of(ids.lane)).toEqual({ kind: 'lane', at: 'rotterdam standard GB', sku: 'PUMP-100', more: 3 });
      // No lane reaches US at all.
      expect(of(ids.noLane)).toEqual({ kind: 'no_lane', at: 'US', sku: 'PUMP-100', more: 0 });
      // Committed: 5 by express to DE by Thu 26 Nov, delivered Tue 1 Dec: 3 workdays late (27, 30, 1),
      // charged to the express lane.
      expect(of(kept.id)).toEqual({ kind: 'lane', at: 'berlin express DE', sku: 'PUMP-100', more: 3 });
      expect(out.constraints).toHaveLength(6);
      const table = await inProcess((io) => runStats({ log, constraints: true, capabilities: company.capabilities, now: '2026-12-10T12:00' }, io));
      expect(table.stdout).toContain('+80 units of stock at berlin would have won 1 order of PUMP-100 (200 units) in 2026-11');
      expect(table.stdout).toContain('+4 units/week of capacity at berlin would have won 1 order of PUMP-900 (8 units) in 2026-11');
    });
  });
}
