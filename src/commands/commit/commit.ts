// promise commit ID [--alternative N]: the promise (or one alternative) is made to
// the customer and now holds stock and capacity. Checked again inside the write
// transaction against everything committed since, so two commits that together
// exceed ATP cannot both succeed: the second is refused with its reason (exit 1).
import { effectiveLedger } from '../../cli/commitments.js';
import type { Io } from '../../cli/io.js';
import { openCommitmentOf, replanNow } from '../../cli/openCommitments.js';
import { type CommonOptions, clockOf, repName } from '../../cli/options.js';
import { describePromise, printable } from '../../cli/render.js';
import { recordedCapabilities, recordedCheck, recordedSetting } from '../../cli/session.js';
import { committedPart } from '../../core/checkPromise.js';
import { holdsFit } from '../../core/commitments/holdsFit.js';
import type { Hold } from '../../core/commitments/ledger.js';
import { compile, type Model } from '../../core/model.js';
import { customerOf } from '../../core/promise.js';
import { isoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import type { CheckRow, Log, LogWriter } from '../../log/log.js';
import { parseOutcome } from '../../log/outcomeJson.js';
import { DATE_HELP } from '../check/fields.js';
import { resolveRepDate } from '../check/repDates.js';

export interface CommitOptions extends CommonOptions {
  alternative?: string;
  /** A quote: holds until the end of this day in the company zone, then nothing (FOLLOW-UP.md). */
  holdUntil?: string;
  /** What the customer expects beyond the promise, for operations. */
  note?: string;
  /** The CRM or ERP order number (LEARN.md): unique among open commitments. */
  ref?: string;
}

export async function runCommit(idText: string, opts: CommitOptions, io: Io): Promise<ExitCode> {
  const { log, row } = await recordedCheck(idText, opts, io);
  const id = row.id;
  if ((row.status === 'open' || row.status === 'held') && opts.alternative !== undefined) return recommit(row, opts, io, log);
  if (row.status !== 'checked') throw usageError(`check ${id} is already ${row.status === 'open' ? 'committed' : row.status}`);
  const loaded = await recordedCapabilities(row, opts);
  const model = compile(loaded.caps, loaded.catalogue);
  const outcome = parseOutcome(row.verdict, row.promise, row.result);
  let alternative: number | null = null;
  if (opts.alternative !== undefined) {
    alternative = /^\d{1,6}$/.test(opts.alternative) ? Number(opts.alternative) : Number.NaN;
    if (!(alternative >= 1 && alternative <= outcome.alternatives.length)) {
      throw usageError(`check ${id} has ${outcome.alternatives.length} alternative(s); --alternative must be 1..${outcome.alternatives.length}`);
    }
  } else if (outcome.verdict === 'infeasible') {
    throw usageError(`check ${id} is infeasible: commit one of its ${outcome.alternatives.length} alternative(s) with --alternative N`);
  }
  const part = committedPart(outcome, alternative);
  const zone = loaded.caps.timezone;
  const clock = clockOf(opts);
  const today = clock.today(zone);
  const holdUntil = opts.holdUntil === undefined ? undefined : await quoteDate(opts.holdUntil, opts, zone, today);
  // COMMITMENTS.md: a quote cannot hold past the date it promises.
  const promised = part.alternative?.then?.promise ?? part.alternative?.promise ?? outcome.promise;
  if (holdUntil !== undefined && promised.kind !== 'service' && holdUntil > promised.by) {
    throw usageError(`--hold-until ${holdUntil} is after the promised ${promised.by}: a quote cannot hold past the date it promises`);
  }
  if (opts.note !== undefined && opts.note.length > 2000) throw usageError('--note is longer than 2000 characters');
  const ref = opts.ref?.trim();
  if (ref !== undefined && !/^[^\s\p{Cc}]{1,100}$/u.test(ref))
    throw usageError(`--ref must be an order number of 1 to 100 characters without spaces, not "${opts.ref}"`);
  const refused = await log.write(async (tx) => {
    // The row as it stands inside the transaction: someone may have committed it since.
    const current = (await tx.getCheck(id))!;
    if (current.status !== 'checked') throw usageError(`check ${id} is already ${current.status === 'open' ? 'committed' : current.status}`);
    if (ref !== undefined) {
      const other = await tx.checkByRef(ref);
      const row = other === undefined ? undefined : await tx.getCheck(other);
      if (row && (row.status === 'open' || row.status === 'held')) throw usageError(`--ref ${ref} is already the order number of open commitment ${row.id}`);
    }
    const fit = await fitsNow(tx, model, part.holds, customerOf(outcome.promise), today, clock.at(zone));
    if (!fit.ok) return fit.message;
    await tx.commit(id, alternative, repName(opts, io.env), {
      ...(holdUntil ? { holdUntil } : {}),
      ...(opts.note ? { note: opts.note } : {}),
      ...(ref ? { ref } : {}),
    });
    return null;
  });
  const promise = part.alternative?.promise ?? outcome.promise;
  if (opts.json) {
    const held = { ...(holdUntil ? { hold_until: holdUntil } : {}), ...(opts.note ? { note: opts.note } : {}), ...(ref ? { ref } : {}) };
    io.out.write(
      `${JSON.stringify({ id, committed: refused === null, reason: refused, promise, ...held, holds: part.holds.map((h) => ({ ...h, day: isoDay(h.day) })) })}\n`,
    );
  } else if (refused) {
    // Name the real cause: the same capabilities mean someone committed first.
    const why = loaded.sha256 === row.capabilities_sha256 ? 'committed to others since it was checked' : `${loaded.file} has changed since it was checked`;
    io.err.write(`promise: cannot commit check ${id}: ${printable(refused)} (${why}; check again)\n`);
  } else {
    const holds = part.holds.map((h) => `${h.qty} at ${h.location} ${HOLD_VERB[h.source]} ${isoDay(h.day)}`).join(', ');
    const as = holdUntil ? ` as a quote held until ${holdUntil} (confirm it with: promise confirm ${id})` : '';
    io.out.write(`Committed check ${id}${ref ? ` (order ${ref})` : ''}${as}: ${describePromise(promise)}${holds ? `; holds ${printable(holds)}` : ''}\n`);
  }
  return refused ? EXIT.infeasible : EXIT.ok;
}

/**
 * Inside the write transaction: do these holds still fit beside every
 * commitment and live quote? Commits of the same skus wait for each other first.
 */
export async function fitsNow(tx: LogWriter, model: Model, holds: readonly Hold[], customer: string | undefined, today: string, now: Date) {
  const skus = [...new Set(holds.map((h) => h.sku))];
  await tx.lockForCommit(skus);
  // What the commitments already made need now (re-planned if a location holds more than it has).
  return holdsFit(model, (await effectiveLedger(tx, model, today, now, skus)).ledger, holds, customer);
}

/**
 * COMMITMENTS.md: `commit ID --alternative N` on a broken commitment moves it
 * to alternative N of its fresh re-plan (what `recheck` offers), in one write.
 */
async function recommit(row: CheckRow, opts: CommitOptions, io: Io, log: Log): Promise<ExitCode> {
  const { model, now, today } = await recordedSetting(row, opts);
  const n = /^\d{1,6}$/.test(opts.alternative!) ? Number(opts.alternative) : Number.NaN;
  const result = await log.write(async (tx) => {
    const skus = [...new Set(committedPart(parseOutcome(row.verdict, row.promise, row.result), row.alternative).holds.map((h) => h.sku))];
    const live = (await tx.liveCommitments(today, skus)).find((l) => l.row.id === row.id);
    if (!live) throw usageError(`check ${row.id} is no longer open (an expired quote: check again)`);
    const fresh = await replanNow(tx, model, today, now, openCommitmentOf(live), live.holds);
    if (fresh.status !== 'broken') throw usageError(`check ${row.id} is already committed and not broken (${fresh.status}): promise recheck says what changed`);
    const alt = fresh.alternatives[n - 1];
    if (!alt)
      throw usageError(`check ${row.id} is broken with ${fresh.alternatives.length} alternative(s) now; --alternative must be 1..${fresh.alternatives.length}`);
    await tx.replan(row.id, alt.holds, [{ promise: alt.promise, plan: alt.plan }, ...(alt.then ? [alt.then] : [])], repName(opts, io.env));
    return alt;
  });
  if (opts.json) io.out.write(`${JSON.stringify({ id: row.id, committed: true, alternative: n, promise: result.promise, summary: result.summary })}\n`);
  else io.out.write(`Re-committed check ${row.id} to its alternative ${n} now: ${printable(result.summary)}\n`);
  return EXIT.ok;
}

/** --hold-until: a date a rep types, not before today. */
async function quoteDate(text: string, opts: CommonOptions, zone: string, today: string): Promise<string> {
  const day = await resolveRepDate(text, clockOf(opts).at(zone), zone);
  if (day === null) throw usageError(`--hold-until: "${text}" is not a date (${DATE_HELP})`);
  if (day < today) throw usageError(`--hold-until ${day} has passed (today is ${today} in ${zone})`);
  return day;
}

/** What a hold means for operations, by source: replenishment is what must be bought. */
const HOLD_VERB = { stock: 'shipping', make_to_order: 'finishing', replenishment: 'to buy in, ready' } as const;
