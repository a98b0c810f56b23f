// promise log verify: the hash chain over checks and events, the derived
// commitments and holds against the events they come from, and the database's
// own integrity check.
import type { Io } from '../../../cli/io.js';
import type { CommonOptions } from '../../../cli/options.js';
import { printable } from '../../../cli/render.js';
import { existingLog } from '../../../cli/session.js';
import { EXIT, type ExitCode } from '../../../errors.js';

export async function runLogVerify(opts: CommonOptions, io: Io): Promise<ExitCode> {
  const log = await existingLog(opts, io);
  const { tables, integrity } = await log.verify();
  const problems = tables.flatMap((t) => t.problems);
  const ok = problems.length === 0 && integrity === 'ok';
  if (opts.json) {
    io.out.write(`${JSON.stringify({ ok, integrity, tables })}\n`);
  } else {
    for (const p of problems) io.out.write(`${log.name}: ${p.table} ${printable(p.message)}\n`);
    if (integrity !== 'ok') io.out.write(`${log.name}: integrity_check: ${integrity}\n`);
    if (ok) io.out.write(`${log.name}: ok (${tables.map((t) => `${t.rows} ${t.table}`).join(', ')}; hash chain, commitments and integrity intact)\n`);
  }
  return ok ? EXIT.ok : EXIT.infeasible;
}
