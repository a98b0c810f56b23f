// promise confirm ID: a held quote becomes a firm commitment (FOLLOW-UP.md). It
// is a fresh check at the time of confirming (COMMITMENTS.md): a quote whose
// plan still holds as it is, beside everything committed, is confirmed; one
// whose order or ship date has passed, or that no longer fits, is refused
// (exit 1) with what can be promised now.

import type { Io } from '../../cli/io.js';
import { openCommitmentOf, replanNow } from '../../cli/openCommitments.js';
import { type CommonOptions, repName } from '../../cli/options.js';
import { describePlan, describePromise, printable } from '../../cli/render.js';
import { recordedCheck, recordedSetting } from '../../cli/session.js';
import { committedPart } from '../../core/checkPromise.js';
import type { Replanned } from '../../core/commitments/replan.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { statusOn } from '../../log/log.js';
import { parseOutcome } from '../../log/outcomeJson.js';

export async function runConfirm(idText: string, opts: CommonOptions, io: Io): Promise<ExitCode> {
  const { log, row } = await recordedCheck(idText, opts, io);
  const { model, now, today } = await recordedSetting(row, opts);
  const outcome = parseOutcome(row.verdict, row.promise, row.result);
  const part = committedPart(outcome, row.alternative);
  const refused = await log.write(async (tx): Promise<{ why: string; fresh: Replanned } | null> => {
    const current = (await tx.getCheck(row.id))!;
    const status = statusOn(current, today);
    if (status !== 'held' && status !== 'expired')
      throw usageError(`check ${row.id} is ${status === 'checked' ? 'not committed' : status}: only a held quote is confirmed`);
    // A live quote as it stands (re-planned or not); an expired one holds nothing, so what it would hold.
    const live = status === 'held' ? (await tx.liveCommitments(today, [...new Set(part.holds.map((h) => h.sku))])).find((l) => l.row.id === row.id) : undefined;
    const mine = openCommitmentOf(live ?? { row: current, holds: part.holds, parts: null });
    const fresh = await replanNow(tx, model, today, now, { ...mine, firm: false }, live?.holds ?? []);
    if (fresh.status !== 'holds' && fresh.status !== 'at_risk') {
      const expired = status === 'expired' ? `the quote expired on ${current.hold_until} and ` : '';
      return { why: `${expired}${fresh.status === 'overdue' ? 'its ship dates have passed' : `its plan no longer holds as quoted: ${fresh.reason}`}`, fresh };
    }
    await tx.confirm(row.id, repName(opts, io.env));
    return null;
  });
  const promise = part.alternative?.promise ?? outcome.promise;
  if (opts.json) {
    const fresh = refused && {
      plans: refused.fresh.parts.map((p) => p.now),
      alternatives: refused.fresh.alternatives.map(({ holds: _holds, ...a }) => a),
    };
    io.out.write(`${JSON.stringify({ id: row.id, confirmed: refused === null, reason: refused?.why ?? null, ...(fresh ? { fresh } : {}) })}\n`);
  } else if (refused) {
    io.err.write(`promise: cannot confirm check ${row.id}: ${printable(refused.why)} (check again)\n`);
    for (const p of refused.fresh.parts) if (p.now) io.err.write(`    now possible: ${describePlan(p.now)}\n`);
    for (const [i, a] of refused.fresh.alternatives.entries()) io.err.write(`    alternative ${i + 1}: ${printable(a.summary)}\n`);
  } else io.out.write(`Confirmed check ${row.id}: ${describePromise(promise)} is a firm commitment\n`);
  return refused ? EXIT.infeasible : EXIT.ok;
}
