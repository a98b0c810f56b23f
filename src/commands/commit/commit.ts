// promise commit ID [--alternative N]: the promise (or one alternative) is made to
// the customer and now holds stock and capacity. Checked again inside the write
// transaction against everything committed since, so two commits that together
// exceed ATP cannot both succeed: the second is refused with its reason (exit 1).
import type { Io } from '../../cli/io.js';
import { type CommonOptions, repName } from '../../cli/options.js';
import { describePromise, printable } from '../../cli/render.js';
import { recordedCapabilities, recordedCheck } from '../../cli/session.js';
import { committedPart } from '../../core/check.js';
import { holdsFit } from '../../core/commitments/holdsFit.js';
import { Ledger } from '../../core/commitments/ledger.js';
import { compile } from '../../core/model.js';
import { customerOf } from '../../core/promise.js';
import { isoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { parseOutcome } from '../../log/outcomeJson.js';

export interface CommitOptions extends CommonOptions {
  alternative?: string;
}

export async function runCommit(idText: string, opts: CommitOptions, io: Io): Promise<ExitCode> {
  const { log, row } = await recordedCheck(idText, opts, io);
  const id = row.id;
  if (row.status !== 'checked') throw usageError(`check ${id} is already ${row.status === 'open' ? 'committed' : row.status}`);
  const loaded = await recordedCapabilities(row, opts);
  const model = compile(loaded.caps);
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
  const refused = await log.write(async (tx) => {
    const now = await tx.getCheck(id);
    if (now!.status !== 'checked') throw usageError(`check ${id} is already ${now!.status === 'open' ? 'committed' : now!.status}`);
    const skus = [...new Set(part.holds.map((h) => h.sku))];
    await tx.lockForCommit(skus);
    const holds = (await Promise.all(skus.map((s) => tx.openHolds(s)))).flat();
    const fit = holdsFit(model, Ledger.of(holds), part.holds, customerOf(outcome.promise));
    if (!fit.ok) return fit.message;
    await tx.commit(id, alternative, part.holds, repName(opts, io.env));
    return null;
  });
  const promise = part.alternative?.promise ?? outcome.promise;
  if (opts.json) {
    io.out.write(
      `${JSON.stringify({ id, committed: refused === null, reason: refused, promise, holds: part.holds.map((h) => ({ ...h, day: isoDay(h.day) })) })}\n`,
    );
  } else if (refused) {
    // Name the real cause: the same capabilities mean someone committed first.
    const why = loaded.sha256 === row.capabilities_sha256 ? 'committed to others since it was checked' : `${loaded.file} has changed since it was checked`;
    io.err.write(`promise: cannot commit check ${id}: ${printable(refused)} (${why}; check again)\n`);
  } else {
    const holds = part.holds.map((h) => `${h.qty} at ${h.location} ${h.source === 'stock' ? 'shipping' : 'finishing'} ${isoDay(h.day)}`).join(', ');
    io.out.write(`Committed check ${id}: ${describePromise(promise)}${holds ? `; holds ${printable(holds)}` : ''}\n`);
  }
  return refused ? EXIT.infeasible : EXIT.ok;
}
