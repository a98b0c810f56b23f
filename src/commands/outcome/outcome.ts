// promise outcome ID --met|--missed [--on DATE]: what really happened to a
// commitment; it closes, and what it held is free again. Dated in the company's
// zone (from the capabilities the check was made on), never before the check
// was made nor after today.
import type { Io } from '../../cli/io.js';
import { type CommonOptions, repName, resolveNow } from '../../cli/options.js';
import { capabilitiesAsRecorded, recordedCheck } from '../../cli/session.js';
import { localTime } from '../../core/time/clock.js';
import { isoDay, parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { closeOpen } from '../release/closeOpen.js';

export interface OutcomeOptions extends CommonOptions {
  met?: boolean;
  missed?: boolean;
  on?: string;
  note?: string;
}

export async function runOutcome(idText: string, opts: OutcomeOptions, io: Io): Promise<ExitCode> {
  if (opts.met === opts.missed) throw usageError('say what happened: --met or --missed (one of them)');
  if (opts.on !== undefined && parseIsoDay(opts.on) === null) throw usageError(`--on must be a date YYYY-MM-DD, not "${opts.on}"`);
  if (opts.note !== undefined && opts.note.length > 2000) throw usageError('--note is longer than 2000 characters');
  const { log, row } = await recordedCheck(idText, opts, io);
  const zone = (await capabilitiesAsRecorded(log, row)).caps.timezone;
  const today = isoDay(localTime(resolveNow(opts, zone), zone).day);
  // The check's `now` is recorded with the company's offset: its date is the local day.
  const checkedOn = row.now.slice(0, 10);
  const on = opts.on ?? today;
  if (on > today) throw usageError(`--on ${on} is in the future (today is ${today} in ${zone})`);
  if (on < checkedOn) throw usageError(`--on ${on} is before check ${row.id} was made (${checkedOn})`);
  const status = opts.met ? 'met' : 'missed';
  await log.write((tx) => closeOpen(tx, row.id, status, repName(opts, io.env), { on, ...(opts.note ? { note: opts.note } : {}) }));
  if (opts.json) io.out.write(`${JSON.stringify({ id: row.id, status, on })}\n`);
  else io.out.write(`Check ${row.id} recorded as ${status} on ${on}\n`);
  return EXIT.ok;
}
