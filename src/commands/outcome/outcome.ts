// promise outcome ID --met|--missed [--on DATE]: what really happened to a
// commitment; it closes, and what it held is free again. Dated in the company's
// zone (from the capabilities the check was made on), never before the check
// was made nor after today.
import type { Io } from '../../cli/io.js';
import { type CommonOptions, clockOf, repName } from '../../cli/options.js';
import { capabilitiesAsRecorded, recordedCheck } from '../../cli/session.js';
import { partsOf } from '../../core/commitments/replan.js';
import type { SalesPromise } from '../../core/promise.js';
import { parseIsoDay } from '../../core/time/days.js';
import { workCalendar } from '../../core/time/workCalendar.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { parseOutcome } from '../../log/outcomeJson.js';
import { closeOpen } from '../release/closeOpen.js';

export interface OutcomeOptions extends CommonOptions {
  met?: boolean;
  missed?: boolean;
  on?: string;
  note?: string;
  /** Outcomes in bulk (input.ts); false: --no-input, which shares the flag's name. */
  input?: string | false;
}

export async function runOutcome(idText: string | undefined, opts: OutcomeOptions, io: Io): Promise<ExitCode> {
  if (typeof opts.input === 'string') {
    if (idText !== undefined || opts.met || opts.missed || opts.on !== undefined || opts.note !== undefined) {
      throw usageError('--input reads every outcome from the file: give no ID, --met, --missed, --on or --note with it');
    }
    return (await import('./input.js')).runOutcomeInput({ ...opts, input: opts.input }, io);
  }
  if (idText === undefined) throw usageError('say which commitment: promise outcome ID --met|--missed, or outcome --input FILE');
  if (opts.met === opts.missed) throw usageError('say what happened: --met or --missed (one of them)');
  if (opts.on !== undefined && parseIsoDay(opts.on) === null) throw usageError(`--on must be a date YYYY-MM-DD, not "${opts.on}"`);
  if (opts.note !== undefined && opts.note.length > 2000) throw usageError('--note is longer than 2000 characters');
  const { log, row } = await recordedCheck(idText, opts, io);
  const caps = (await capabilitiesAsRecorded(log, row)).caps;
  const zone = caps.timezone;
  const today = clockOf(opts).today(zone);
  // The check's `now` is recorded with the company's offset: its date is the local day.
  const checkedOn = row.now.slice(0, 10);
  const on = opts.on ?? today;
  if (on > today) throw usageError(`--on ${on} is in the future (today is ${today} in ${zone})`);
  if (on < checkedOn) throw usageError(`--on ${on} is before check ${row.id} was made (${checkedOn})`);
  const status = opts.met ? 'met' : 'missed';
  // How late, in the company's workdays after the promised date (FOLLOW-UP.md "Learning").
  const promised = JSON.parse(row.promise) as SalesPromise;
  // COMMITMENTS.md: an outcome --on a day may not contradict the promise's date (the committed part's; a split's last).
  const parts = partsOf({ outcome: parseOutcome(row.verdict, row.promise, row.result), alternative: row.alternative, parts: null });
  const by =
    parts
      .map((p) => (p.promise.kind === 'service' ? '' : p.promise.by))
      .sort()
      .at(-1) ?? '';
  if (by !== '' && opts.on !== undefined && opts.met && on > by)
    throw usageError(`--on ${on} is after the promised ${by}: a delivery then missed the promise (use --missed)`);
  if (by !== '' && opts.on !== undefined && opts.missed && on <= by)
    throw usageError(`--on ${on} is on or before the promised ${by}: it was met (use --met), or give the day it really happened`);
  const lateWorkdays =
    promised.kind === 'service'
      ? undefined
      : workCalendar(caps.calendar.workdays, caps.calendar.holidays).workdaysBetween(parseIsoDay(promised.by)!, parseIsoDay(on)!);
  const late = lateWorkdays === undefined ? {} : { lateWorkdays };
  await log.write((tx) => closeOpen(tx, row.id, status, repName(opts, io.env), { on, ...(opts.note ? { note: opts.note } : {}), ...late }));
  if (opts.json) io.out.write(`${JSON.stringify({ id: row.id, status, on, ...(lateWorkdays === undefined ? {} : { late_workdays: lateWorkdays }) })}\n`);
  else io.out.write(`Check ${row.id} recorded as ${status} on ${on}${lateWorkdays ? `, ${lateWorkdays} workday${lateWorkdays === 1 ? '' : 's'} late` : ''}\n`);
  return EXIT.ok;
}
