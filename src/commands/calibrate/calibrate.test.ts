// calibrate end to end on a real log (SQLite file and PostgreSQL database): a
// generated history with a known lateness per lane goes in through commit --ref
// and outcome --input, and the hand-computed suggestions come out; the patch
// applies with `patch -p1`, validates and keeps every comment; --check fails on
// a shortened lane and passes after the patch.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany } from '../../../test/helpers/logged.js';
import { freshDatabase } from '../../../test/helpers/teamLog.js';
import { closeLogs } from '../../log/log.js';
import { runOutcome } from '../outcome/outcome.js';
import { runReplay } from '../replay/replay.js';
import { runCalibrate } from './calibrate.js';

const dir = tempDir();
afterEach(() => closeLogs());
const LATER = '2027-01-15T12:00';

/** Monday to Friday (the example's holidays are later than any day used here). */
function addWorkdays(iso: string, n: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    d.setUTCDate(d.getUTCDate() + step);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

/** Lateness per lane (workdays after the plan's delivery day → how many deliveries). */
const HISTORY = [
  { from: 'berlin', to: 'DE', late: { 0: 30, 1: 6, 2: 3, 4: 1 } },
  { from: 'berlin', to: 'AT', late: { 0: 4, 1: 1 } },
  { from: 'rotterdam', to: 'GB', late: { '-2': 20 } },
];

for (const backend of ['SQLite', 'PostgreSQL'] as const) {
  describe(`calibrate on the ${backend} log`, () => {
    const home = join(dir, backend);
    let log: string;
    let company: ReturnType<typeof loggedCompany>;
    let csv: string;

    beforeAll(async () => {
      mkdirSync(home);
      log = backend === 'SQLite' ? join(home, 'log.db') : await freshDatabase('calibrate');
      company = loggedCompany(home, 'caps', log);
      const lines = ['ref,delivered,qty,note'];
      let n = 0;
      for (const lane of HISTORY) {
        for (const [late, count] of Object.entries(lane.late)) {
          for (let i = 0; i < count; i++) {
            const r = (await company.check(1, { from: lane.from, method: 'standard', to: lane.to, by: '2026-12-18' })) as unknown as {
              id: number;
              plan: { delivery_date: string };
            };
            const ref = `SO-${++n}`;
            expect((await company.commit(r.id, { ref })).code).toBe(0);
            await closeLogs();
            lines.push(`${ref},${addWorkdays(r.plan.delivery_date, Number(late))},1,`);
          }
        }
      }
      csv = join(home, 'deliveries.csv');
      writeFileSync(csv, `${lines.join('\n')}\n`);
    }, 120_000);

    const outcomes = (file: string) => inProcess((io) => runOutcome(undefined, { log, input: file, now: LATER }, io));
    const calibrate = (extra: Record<string, unknown> = {}) =>
      inProcess((io) => runCalibrate({ log, capabilities: company.capabilities, now: LATER, ...extra }, io));

    it('outcome --input records every line once; bad lines are FILE:LINE and skipped', async () => {
      const bad = join(home, 'bad.csv');
      writeFileSync(bad, 'ref,delivered\nSO-1,2026-13-01\nSO-999,2026-12-01\nSO-2,2027-02-01\n');
      const r = await outcomes(bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `${bad}:2: delivered must be a date YYYY-MM-DD, not "2026-13-01"\n` +
          `${bad}:3: no commitment with ref "SO-999" in ${log.replace(/:[^:@/]+@/, '@')}\n` +
          `${bad}:4: delivered 2027-02-01 is in the future (today is 2027-01-15 in Europe/Berlin)\n`,
      );
      const first = await outcomes(csv);
      expect(first).toMatchObject({ code: 0, stderr: '', stdout: 'Outcomes: 65 met, 0 missed, 0 already recorded\n' });
      // The same file again changes nothing.
      expect((await outcomes(csv)).stdout).toBe('Outcomes: 0 met, 0 missed, 65 already recorded\n');
      // Another outcome for a closed commitment is refused (known only inside the transaction), in line order.
      const other = join(home, 'other.csv');
      writeFileSync(other, 'ref,delivered,note\nSO-1,2027-01-14,late truck\nSO-2,yesterday,\n');
      const again = await outcomes(other);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(
        new RegExp(`^${other}:2: check \\d+ is already recorded as met\n${other}:3: delivered must be a date YYYY-MM-DD, not "yesterday"\n$`),
      );
    });

    it('suggests exactly the hand-computed days', async () => {
      const r = await calibrate({ json: true });
      expect(r.code).toBe(0);
      const rows = (JSON.parse(r.stdout) as { rows: { factor: string; key: string }[] }).rows;
      const row = (key: string) => rows.find((x) => x.factor === 'lane' && x.key === key);
      // DE: 30 on time, 6 one late, 3 two late, 1 four late; rank ceil(0.95·40) = 38 is 2 late: 2 + 2 = 4.
      expect(row('berlin standard DE')).toEqual({
        factor: 'lane',
        key: 'berlin standard DE',
        declared: 2,
        samples: 40,
        on_time: 30,
        on_time_share: 0.75,
        p50: 0,
        p90: 1,
        p95: 2,
        max: 4,
        suggested: 4,
        finding: 'too_fast',
      });
      expect(row('berlin standard AT')).toMatchObject({ samples: 5, suggested: null, finding: 'not_enough_evidence' });
      // GB: every delivery two workdays early: 3 would have held.
      expect(row('rotterdam standard GB')).toMatchObject({ samples: 20, on_time_share: 1, p95: -2, suggested: 3, finding: 'cautious' });
      expect(row('berlin express DE')).toMatchObject({ samples: 0, finding: 'not_enough_evidence' });
      // --since after every delivery: nothing to go on.
      const since = JSON.parse((await calibrate({ json: true, since: '2027-01-01' })).stdout) as { rows: { finding: string }[] };
      expect(since.rows.every((x) => x.finding === 'not_enough_evidence')).toBe(true);
    });

    it('--check fails on the lane the history contradicts; the patch applies with patch -p1, validates, keeps every comment, and passes --check', async () => {
      const failed = await calibrate({ check: true });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe('promise: the standard lane from berlin to DE promises 2 workdays; only 75% of 40 deliveries made that, 4 would meet 95%\n');
      const work = join(home, 'repo');
      mkdirSync(work);
      copyFileSync(company.capabilities, join(work, 'caps.yaml'));
      const diff = runCli(['calibrate', '--format', 'patch', '--capabilities', 'caps.yaml', '--log', log, '--now', LATER], { cwd: work });
      expect(diff).toMatchObject({ code: 0, stderr: '' });
      expect(diff.stdout).toContain(
        '-      - { to: [DE, AT, CH], method: standard, transit_days: 2 }\n+      - { to: [DE, AT, CH], method: standard, transit_days: 4 }\n',
      );
      expect(diff.stdout).toContain('-      - { to: [GB], method: standard, transit_days: 5 }\n+      - { to: [GB], method: standard, transit_days: 3 }\n');
      writeFileSync(join(work, 'calibrate.diff'), diff.stdout);
      const before = readFileSync(join(work, 'caps.yaml'), 'utf8');
      const applied = spawnSync('patch', ['-p1', '-i', 'calibrate.diff'], { cwd: work, encoding: 'utf8' });
      expect(applied.status).toBe(0);
      const after = readFileSync(join(work, 'caps.yaml'), 'utf8');
      const comments = (text: string) =>
        text
          .split('\n')
          .filter((l) => l.includes('#'))
          .join('\n');
      expect(comments(after)).toBe(comments(before));
      expect(after.split('\n').filter((l, i) => l !== before.split('\n')[i])).toHaveLength(2);
      expect(runCli(['validate', 'caps.yaml'], { cwd: work }).code).toBe(0);
      expect(runCli(['calibrate', '--check', '--capabilities', 'caps.yaml', '--log', log, '--now', LATER], { cwd: work }).code).toBe(0);
      // A pull request that shortens the GB lane below what every delivery took is flagged.
      writeFileSync(join(work, 'caps.yaml'), after.replace('[GB], method: standard, transit_days: 3', '[GB], method: standard, transit_days: 2'));
      const shortened = runCli(['calibrate', '--check', '--capabilities', 'caps.yaml', '--log', log, '--now', LATER], { cwd: work });
      expect(shortened.code).toBe(1);
      expect(shortened.stderr).toContain('the standard lane from rotterdam to GB promises 2 workdays; only 0% of 20 deliveries made that, 3 would meet 95%');
    });

    it('--write applies the same suggestions and validates the result', async () => {
      const file = join(home, 'written.yaml');
      copyFileSync(company.capabilities, file);
      const r = await inProcess((io) => runCalibrate({ log, capabilities: file, now: LATER, write: true }, io));
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toBe(`Wrote ${file}:\n  berlin standard lane to DE, AT, CH transit_days: 2 → 4\n  rotterdam standard lane to GB transit_days: 5 → 3\n`);
      expect(readFileSync(file, 'utf8')).toContain('transit_days: 4 }');
    });

    it('every check with enough history says how its lane did; policy.on_time_target makes a worse one at_risk (rule history); replay agrees', async () => {
      type Checked = { id: number; verdict: string; plan: { evidence?: unknown }; reasons: { rule: string; ok: boolean; message: string }[] };
      const de = (await company.check(1, { from: 'berlin', method: 'standard', to: 'DE', by: '2027-02-26', now: LATER })) as unknown as Checked;
      expect(de.plan.evidence).toEqual({ samples: 40, on_time_share: 0.75, p90_late_days: 1 });
      expect(de.reasons.find((r) => r.rule === 'history')).toEqual({
        rule: 'history',
        ok: true,
        message: '75% of 40 standard deliveries from berlin to DE arrived on time',
      });
      // AT has 5 outcomes: nothing is said.
      const at = (await company.check(1, { from: 'berlin', method: 'standard', to: 'AT', by: '2027-02-26', now: LATER })) as unknown as Checked;
      expect(at.plan.evidence).toBeUndefined();
      expect(at.reasons.some((r) => r.rule === 'history')).toBe(false);
      const strict = join(home, 'strict.yaml');
      writeFileSync(strict, readFileSync(company.capabilities, 'utf8').replace('  safety_days: 1 ', '  on_time_target: 0.9\n  safety_days: 1 '));
      const risky = (await company.check(1, {
        capabilities: strict,
        from: 'berlin',
        method: 'standard',
        to: 'DE',
        by: '2027-02-26',
        now: LATER,
      })) as unknown as Checked;
      expect(risky.verdict).toBe('at_risk');
      expect(risky.reasons.find((r) => r.rule === 'history')).toMatchObject({
        ok: false,
        message: 'only 75% of 40 standard deliveries from berlin to DE arrived on time (policy asks for 90%)',
      });
      const gb = (await company.check(1, {
        capabilities: strict,
        from: 'rotterdam',
        method: 'standard',
        to: 'GB',
        by: '2027-02-26',
        now: LATER,
      })) as unknown as Checked;
      expect(gb.verdict).toBe('feasible');
      for (const id of [de.id, risky.id]) expect((await inProcess((io) => runReplay(String(id), { log }, io))).code).toBe(0);
    });
  });
}
