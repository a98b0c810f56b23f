// promise commit ID [--alternative N]: the promise (or one alternative) is made to
// the customer and now holds stock and capacity. Checked again inside the write
// lock against everything committed since, so two commits that together exceed
// ATP cannot both succeed: the second is refused with its reason (exit 1).
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { parseId } from '../../cli/logAccess.js';
import { type CommonOptions, repName } from '../../cli/options.js';
import { describePromise } from '../../cli/render.js';
import { openSession } from '../../cli/session.js';
import { isoDay } from '../../core/time/days.js';
import { committedPart } from '../../core/check.js';
import { holdsFit } from '../../core/commitments/holdsFit.js';
import { Ledger } from '../../core/commitments/ledger.js';
import { getCheck, outcomeOf } from '../../log/checks.js';
import { appendEvent, insertCommitment, openHolds } from '../../log/commitments.js';
import { writeTransaction } from '../../log/db.js';

export interface CommitOptions extends CommonOptions {
  alternative?: string;
}

export async function runCommit(idText: string, opts: CommitOptions): Promise<ExitCode> {
  const id = parseId(idText);
  const session = await openSession(opts);
  const log = session.log;
  if (!log) throw usageError('commit records in the log: --no-log does not apply');
  const result = writeTransaction(log.db, log.path, () => {
    const row = getCheck(log.db, id);
    if (!row) throw usageError(`no check ${id} in ${log.path}`);
    if (row.status !== 'checked') throw usageError(`check ${id} is already ${row.status === 'open' ? 'committed' : row.status}`);
    const outcome = outcomeOf(row);
    let alternative: number | null = null;
    if (opts.alternative !== undefined) {
      alternative = Number(opts.alternative);
      if (!Number.isInteger(alternative) || alternative < 1 || alternative > outcome.alternatives.length) {
        throw usageError(`check ${id} has ${outcome.alternatives.length} alternative(s); --alternative must be 1..${outcome.alternatives.length}`);
      }
    } else if (outcome.verdict === 'infeasible') {
      throw usageError(`check ${id} is infeasible: commit one of its ${outcome.alternatives.length} alternative(s) with --alternative N`);
    }
    const part = committedPart(outcome, alternative);
    const skus = [...new Set(part.holds.map((h) => h.sku))];
    const fit = holdsFit(session.model, Ledger.of(skus.flatMap((s) => openHolds(log.db, s))), part.holds);
    if (!fit.ok) return { refused: fit.message, outcome, part };
    // Fits: recorded below, inside the same write lock.
    appendEvent(log.db, id, 'commit', repName(opts), alternative === null ? {} : { alternative });
    insertCommitment(log.db, id, alternative, part.holds);
    return { refused: null, outcome, part };
  });
  const promise = result.part.alternative?.promise ?? result.outcome.promise;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ id, committed: result.refused === null, reason: result.refused, promise, holds: result.part.holds.map((h) => ({ ...h, day: isoDay(h.day) })) })}\n`);
  } else if (result.refused) {
    process.stderr.write(`promise: cannot commit check ${id}: ${result.refused} (committed since it was checked; check again)\n`);
  } else {
    const holds = result.part.holds.map((h) => `${h.qty} at ${h.location} ${h.source === 'stock' ? 'shipping' : 'finishing'} ${isoDay(h.day)}`).join(', ');
    process.stdout.write(`Committed check ${id}: ${describePromise(promise)}${holds ? `; holds ${holds}` : ''}\n`);
  }
  return result.refused ? EXIT.infeasible : EXIT.ok;
}
