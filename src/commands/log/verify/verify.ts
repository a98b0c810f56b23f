// promise log verify: the hash chain over checks and events, the derived
// commitments and holds against the events they come from, and the database's
// own integrity check.
import type { Io } from '../../../cli/io.js';
import type { CommonOptions } from '../../../cli/options.js';
import { printable } from '../../../cli/render.js';
import { existingLog } from '../../../cli/session.js';
import { EXIT, type ExitCode, usageError } from '../../../errors.js';
import { parseHeadToken } from '../../../log/chain.js';
import type { Log, LogProblem } from '../../../log/log.js';

export interface VerifyOptions extends CommonOptions {
  /** A token `promise log head` printed earlier: the log must still extend it. */
  head?: string;
}

export async function runLogVerify(opts: VerifyOptions, io: Io): Promise<ExitCode> {
  const published = opts.head === undefined ? null : parseHeadToken(opts.head);
  if (opts.head !== undefined && published === null) throw usageError('--head: not a token `promise log head` prints (checks@ID:HASH,events@ID:HASH)');
  const log = await existingLog(opts, io);
  const { tables, integrity } = await log.verify();
  const problems = tables.flatMap((t) => t.problems);
  if (published) problems.push(...(await departures(log, published)));
  const ok = problems.length === 0 && integrity === 'ok';
  if (opts.json) {
    io.out.write(`${JSON.stringify({ ok, integrity, tables })}\n`);
  } else {
    for (const p of problems) io.out.write(`${log.name}: ${p.table} ${printable(p.message)}\n`);
    if (integrity !== 'ok') io.out.write(`${log.name}: integrity_check: ${integrity}\n`);
    if (ok)
      io.out.write(`${log.name}: ok (${tables.map((t) => `${t.rows} ${t.table}`).join(', ')}; hash chain, commitments, kept texts and integrity intact)\n`);
  }
  return ok ? EXIT.ok : EXIT.infeasible;
}

/** Where the log no longer extends a published head: a row gone, or rewritten and re-hashed. */
async function departures(log: Log, published: NonNullable<ReturnType<typeof parseHeadToken>>): Promise<LogProblem[]> {
  const problems: LogProblem[] = [];
  for (const table of ['checks', 'events'] as const) {
    const { lastId, hash } = published[table];
    if (lastId === 0) continue;
    const now = await log.rowHash(table, lastId);
    if (now === undefined) problems.push({ table, id: lastId, message: `row ${lastId}, the published head, is gone` });
    else if (now !== hash) problems.push({ table, id: lastId, message: `row ${lastId} no longer has the published head's hash: the chain was rewritten` });
  }
  return problems;
}
