// promise confirm ID: a held quote becomes a firm commitment (FOLLOW-UP.md). A
// quote still holding keeps what it holds; one that expired is checked again
// against everything committed since, and refused (exit 1) if it no longer fits.
import type { Io } from '../../cli/io.js';
import { type CommonOptions, repName, resolveNow } from '../../cli/options.js';
import { describePromise, printable } from '../../cli/render.js';
import { recordedCapabilities, recordedCheck } from '../../cli/session.js';
import { committedPart } from '../../core/check.js';
import { compile } from '../../core/model.js';
import { customerOf } from '../../core/promise.js';
import { isoInZone } from '../../core/time/clock.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { statusOn } from '../../log/log.js';
import { parseOutcome } from '../../log/outcomeJson.js';
import { fitsNow } from '../commit/commit.js';

export async function runConfirm(idText: string, opts: CommonOptions, io: Io): Promise<ExitCode> {
  const { log, row } = await recordedCheck(idText, opts, io);
  const loaded = await recordedCapabilities(row, opts);
  const zone = loaded.caps.timezone;
  const today = isoInZone(resolveNow(opts, zone), zone).slice(0, 10);
  const outcome = parseOutcome(row.verdict, row.promise, row.result);
  const part = committedPart(outcome, row.alternative);
  const refused = await log.write(async (tx) => {
    const now = (await tx.getCheck(row.id))!;
    const status = statusOn(now, today);
    if (status !== 'held' && status !== 'expired')
      throw usageError(`check ${row.id} is ${status === 'checked' ? 'not committed' : status}: only a held quote is confirmed`);
    if (status === 'expired') {
      // It held nothing since its day: what it would hold must fit again.
      const fit = await fitsNow(tx, compile(loaded.caps, loaded.catalogue), part.holds, customerOf(outcome.promise), today, resolveNow(opts, zone));
      if (!fit.ok) return `the quote expired on ${now.hold_until} and no longer fits: ${fit.message}`;
    }
    await tx.confirm(row.id, repName(opts, io.env));
    return null;
  });
  const promise = part.alternative?.promise ?? outcome.promise;
  if (opts.json) io.out.write(`${JSON.stringify({ id: row.id, confirmed: refused === null, reason: refused })}\n`);
  else if (refused) io.err.write(`promise: cannot confirm check ${row.id}: ${printable(refused)} (check again)\n`);
  else io.out.write(`Confirmed check ${row.id}: ${describePromise(promise)} is a firm commitment\n`);
  return refused ? EXIT.infeasible : EXIT.ok;
}
