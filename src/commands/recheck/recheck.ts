// promise recheck: every open commitment against today's capabilities; exit 1
// when any broke.
import { EXIT, type ExitCode } from '../../errors.js';
import { describePlan, describePromise } from '../../cli/render.js';
import type { CommonOptions } from '../../cli/options.js';
import { openSession } from '../../cli/session.js';
import { recheckCommitments } from '../../core/commitments/recheck.js';
import { getCheck, outcomeOf } from '../../log/checks.js';
import { openCommitments } from '../../log/commitments.js';
import { usageError } from '../../errors.js';

export async function runRecheck(opts: CommonOptions): Promise<ExitCode> {
  const session = await openSession(opts);
  if (!session.log) throw usageError('recheck reads the log: --no-log does not apply');
  const { db } = session.log;
  const commitments = openCommitments(db).map((c) => ({ id: c.check_id, alternative: c.alternative, outcome: outcomeOf(getCheck(db, c.check_id)!) }));
  const results = recheckCommitments(session.model, commitments, session.now);
  const broken = results.filter((r) => r.status === 'broken');
  if (opts.json) {
    for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    for (const r of results.filter((x) => x.status !== 'ok')) {
      process.stdout.write(`#${r.id} ${r.status.toUpperCase()}: ${describePromise(r.promise)}: ${r.reason}\n`);
      if (r.fresh?.plan) process.stdout.write(`    now possible: ${describePlan(r.fresh.plan)}\n`);
      else if (r.fresh?.alternative) process.stdout.write(`    offer instead: ${r.fresh.alternative.summary}\n`);
      else if (r.fresh) process.stdout.write('    nothing close can be promised now\n');
    }
    const overdue = results.filter((r) => r.status === 'overdue').length;
    process.stdout.write(`${results.length} open commitment(s): ${results.length - broken.length - overdue} hold, ${broken.length} broken, ${overdue} overdue\n`);
  }
  return broken.length > 0 ? EXIT.infeasible : EXIT.ok;
}
