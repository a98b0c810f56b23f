// Quotes that hold for a while (FOLLOW-UP.md): commit --hold-until, expiry
// computed from now in the company zone (no job runs), confirm, statuses.
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany } from '../../../test/helpers/logged.js';
import { runLog } from '../log/listChecks.js';
import { runRecheck } from '../recheck/recheck.js';
import { runConfirm } from './confirm.js';

const dir = tempDir();

describe('quotes that hold until a date', () => {
  const quote = async (name: string, until: string, now: string) => {
    const company = loggedCompany(dir, name);
    const held = await company.check(100, { now });
    const r = await company.commit(held.id, { holdUntil: until, now });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`as a quote held until ${until} (confirm it with: promise confirm ${held.id})`);
    // 100 more from berlin (120 on hand; the next supply comes after 4 December), as a check made at `at` sees it.
    const free = async (at: string) => (await company.check(100, { now: at, from: 'berlin' })).verdict;
    return { ...company, held, free };
  };

  it('holds through the end of its day in the company zone, then nothing: no job has to run', async () => {
    const { free } = await quote('midnight', '2026-11-24', '2026-11-23T10:00');
    expect(await free('2026-11-24T23:30')).toBe('infeasible'); // Berlin, still the 24th: held
    expect(await free('2026-11-24T22:30Z')).toBe('infeasible'); // 23:30 in Berlin
    expect(await free('2026-11-24T23:30Z')).not.toBe('infeasible'); // 00:30 on the 25th in Berlin: expired
  });

  it('across the night summer time ends (Berlin, 25 October 2026)', async () => {
    const { free } = await quote('dst', '2026-10-24', '2026-10-23T10:00');
    expect(await free('2026-10-24T23:59+02:00')).toBe('infeasible');
    expect(await free('2026-10-25T00:01+02:00')).not.toBe('infeasible');
    expect(await free('2026-10-25T02:30')).not.toBe('infeasible'); // the repeated hour
  });

  it('log shows held, then expired; --status finds each', async () => {
    const { held, log } = await quote('statuses', '2026-11-24', '2026-11-23T10:00');
    const list = (now: string, status?: string) => inProcess((io) => runLog({ log, now, limit: '10', json: true, ...(status ? { status } : {}) }, io));
    expect(JSON.parse((await list('2026-11-24T12:00')).stdout)[0]).toMatchObject({ id: held.id, status: 'held', hold_until: '2026-11-24' });
    expect(JSON.parse((await list('2026-11-25T12:00')).stdout)[0]).toMatchObject({ id: held.id, status: 'expired' });
    expect(JSON.parse((await list('2026-11-24T12:00', 'held')).stdout).map((r: { id: number }) => r.id)).toEqual([held.id]);
    expect(JSON.parse((await list('2026-11-24T12:00', 'expired')).stdout)).toEqual([]);
    expect(JSON.parse((await list('2026-11-25T12:00', 'expired')).stdout).map((r: { id: number }) => r.id)).toEqual([held.id]);
  });

  it('recheck mentions a quote about to expire', async () => {
    const { held, log, capabilities } = await quote('expiring', '2026-11-24', '2026-11-23T10:00');
    const r = await inProcess((io) => runRecheck({ log, capabilities, now: '2026-11-23T16:00' }, io));
    expect(r.stdout).toContain(
      `#${held.id} QUOTE EXPIRES 2026-11-24: 100 × PUMP-100 to DE by 2026-12-04: confirm it (promise confirm ${held.id}) or let it go`,
    );
  });

  it('confirm: a live quote becomes firm and keeps holding past its date', async () => {
    const { held, log, free } = await quote('confirm', '2026-11-24', '2026-11-23T10:00');
    // Before berlin's 14:00 cut-off: still Monday's order, shipping Tuesday as quoted.
    const r = await inProcess((io) => runConfirm(String(held.id), { log, now: '2026-11-23T12:00' }, io));
    expect(r).toMatchObject({ code: 0, stdout: `Confirmed check ${held.id}: 100 × PUMP-100 to DE by 2026-12-04 is a firm commitment\n` });
    expect(await free('2026-11-30T09:00')).toBe('infeasible');
    expect((await inProcess((io) => runConfirm(String(held.id), { log }, io))).stderr).toBe(
      `promise: check ${held.id} is open: only a held quote is confirmed\n`,
    );
  });

  it('confirm after expiry: checked again; refused when the stock went to someone else', async () => {
    const { held, log, check, commit } = await quote('late', '2026-11-24', '2026-11-23T10:00');
    const other = await check(100, { now: '2026-11-25T09:00', from: 'berlin' });
    expect((await commit(other.id, { now: '2026-11-25T09:00' })).code).toBe(0);
    const r = await inProcess((io) => runConfirm(String(held.id), { log, now: '2026-11-25T10:00' }, io));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `cannot confirm check ${held.id}: the quote expired on 2026-11-24 and its plan no longer holds as quoted: berlin has only 20 PUMP-100`,
    );
  });

  it('confirm is a fresh check: a quote whose order and ship dates have passed is not made firm on its old dates (exit 1, what is possible now)', async () => {
    const { held, log } = await quote('past', '2026-11-24', '2026-11-23T10:00');
    // Still held on the 24th, but Monday's order day has passed: it would ship on the 25th, not the 24th.
    const live = await inProcess((io) => runConfirm(String(held.id), { log, now: '2026-11-24T09:00' }, io));
    expect(live.code).toBe(1);
    expect(live.stderr).toBe(
      [
        `promise: cannot confirm check ${held.id}: its plan no longer holds as quoted: berlin is now ready to ship on 2026-11-25, after the planned 2026-11-24 (check again)`,
        '    now possible: ships from berlin by express on 2026-11-25, arrives 2026-11-26 (6 spare workdays)',
        '',
      ].join('\n'),
    );
    // The issue: confirmed long after, the old ship date is in the past.
    const late = await inProcess((io) => runConfirm(String(held.id), { log, now: '2026-12-01T10:00', json: true }, io));
    expect(late.code).toBe(1);
    expect(JSON.parse(late.stdout)).toMatchObject({ confirmed: false, fresh: { plans: [{ ship_date: '2026-12-02', delivery_date: '2026-12-03' }] } });
    expect((await inProcess((io) => runLog({ log, now: '2026-12-01T10:00', limit: '1', json: true }, io))).stdout).toContain('"status":"expired"');
  });

  it('--hold-until after the promised date is refused', async () => {
    const company = loggedCompany(dir, 'holdpast');
    const held = await company.check(10);
    expect(await company.commit(held.id, { holdUntil: '2026-12-07' })).toMatchObject({
      code: 2,
      stderr: 'promise: --hold-until 2026-12-07 is after the promised 2026-12-04: a quote cannot hold past the date it promises\n',
    });
    expect((await company.commit(held.id, { holdUntil: '2026-12-04' })).code).toBe(0);
  });
});
