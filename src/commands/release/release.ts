// promise release ID and promise outcome ID --met|--missed: a commitment ends,
// and what it held is free again.
import { isoDay, localDayOf, parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { parseId, requireLog } from '../../cli/logAccess.js';
import { type CommonOptions, repName } from '../../cli/options.js';
import { getCheck } from '../../log/checks.js';
import { appendEvent, closeCommitment } from '../../log/commitments.js';
import { writeTransaction } from '../../log/db.js';

export function runRelease(idText: string, opts: CommonOptions): ExitCode {
  return close(parseId(idText), opts, 'released', null, null);
}

export interface OutcomeOptions extends CommonOptions {
  met?: boolean;
  missed?: boolean;
  on?: string;
  note?: string;
}

export function runOutcome(idText: string, opts: OutcomeOptions): ExitCode {
  const id = parseId(idText);
  if (opts.met === opts.missed) throw usageError('say what happened: --met or --missed (one of them)');
  if (opts.on !== undefined && parseIsoDay(opts.on) === null) throw usageError(`--on must be a date YYYY-MM-DD, not "${opts.on}"`);
  if (opts.note !== undefined && opts.note.length > 2000) throw usageError('--note is longer than 2000 characters');
  return close(id, opts, opts.met ? 'met' : 'missed', opts.on ?? null, opts.note ?? null);
}

function close(id: number, opts: CommonOptions, status: 'released' | 'met' | 'missed', on: string | null, note: string | null): ExitCode {
  const { db, path } = requireLog(opts);
  writeTransaction(db, path, () => {
    const row = getCheck(db, id);
    if (!row) throw usageError(`no check ${id} in ${path}`);
    if (row.status !== 'open') throw usageError(`check ${id} is ${row.status === 'checked' ? 'not committed' : `already ${row.status}`}`);
    // Without --on, the outcome is dated today where the person recording it is.
    const day = on ?? isoDay(localDayOf(new Date()));
    appendEvent(db, id, status === 'released' ? 'release' : 'outcome', repName(opts), status === 'released' ? {} : { met: status === 'met', on: day, ...(note ? { note } : {}) });
    closeCommitment(db, id, status, status === 'released' ? null : day, note);
  });
  const what = status === 'released' ? 'released: its stock and capacity are free again' : `recorded as ${status}`;
  if (opts.json) process.stdout.write(`${JSON.stringify({ id, status })}\n`);
  else process.stdout.write(`Check ${id} ${what}\n`);
  return EXIT.ok;
}
