// promise outcome, in process: dated in the company zone, never before the check nor after today.
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany } from '../../../test/helpers/logged.js';
import { type OutcomeOptions, runOutcome } from './outcome.js';

const dir = tempDir();

describe('promise outcome', () => {
  const setup = async (name: string) => {
    const company = loggedCompany(dir, name);
    const { id } = await company.check(5); // made 2026-11-23 10:00 Berlin
    expect((await company.commit(id)).code).toBe(0);
    const outcome = (opts: Partial<OutcomeOptions>) => inProcess((io) => runOutcome(String(id), { log: company.log, met: true, ...opts }, io));
    return { id, outcome };
  };

  it('without --on it is dated today in the company zone, with --now honoured', async () => {
    const { id, outcome } = await setup('zone');
    // 23:30 UTC on the 24th is already the 25th in Berlin.
    const r = await outcome({ now: '2026-11-24T23:30Z', json: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id, status: 'met', on: '2026-11-25', late_workdays: 0 });
  });

  it('--on before the check was made, or after today, is refused', async () => {
    const { id, outcome } = await setup('bounds');
    expect(await outcome({ now: '2026-11-30T12:00', on: '2026-11-22' })).toMatchObject({
      code: 2,
      stderr: `promise: --on 2026-11-22 is before check ${id} was made (2026-11-23)\n`,
    });
    expect(await outcome({ now: '2026-11-30T12:00', on: '2026-12-01' })).toMatchObject({
      code: 2,
      stderr: 'promise: --on 2026-12-01 is in the future (today is 2026-11-30 in Europe/Berlin)\n',
    });
  });

  it('an outcome cannot contradict the promised date (by 2026-12-04): met after it, or missed on or before it, is refused', async () => {
    const { id, outcome } = await setup('contradict');
    const now = '2026-12-09T12:00';
    expect(await outcome({ now, on: '2026-12-08' })).toMatchObject({
      code: 2,
      stderr: 'promise: --on 2026-12-08 is after the promised 2026-12-04: a delivery then missed the promise (use --missed)\n',
    });
    expect(await outcome({ now, on: '2026-12-04', missed: true, met: undefined })).toMatchObject({
      code: 2,
      stderr: 'promise: --on 2026-12-04 is on or before the promised 2026-12-04: it was met (use --met), or give the day it really happened\n',
    });
    expect(await outcome({ now, on: '2026-12-08', missed: true, met: undefined, note: 'late truck' })).toMatchObject({
      code: 0,
      stdout: `Check ${id} recorded as missed on 2026-12-08, 2 workdays late\n`,
    });
  });

  it('says what happened exactly once', async () => {
    const { outcome } = await setup('once');
    expect((await outcome({ met: true, missed: true })).stderr).toBe('promise: say what happened: --met or --missed (one of them)\n');
  });
});
