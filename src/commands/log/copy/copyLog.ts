// promise log copy --to TARGET [--append]: the current log (--log) into another
// file or database (TEAM.md "Moving a log"), which then verifies.
import type { Io } from '../../../cli/io.js';
import type { CommonOptions } from '../../../cli/options.js';
import { printable } from '../../../cli/render.js';
import { existingLog } from '../../../cli/session.js';
import { EXIT, type ExitCode, usageError } from '../../../errors.js';
import { copyLog } from '../../../log/copy.js';
import { openLog } from '../../../log/log.js';

export interface CopyOptions extends CommonOptions {
  to?: string;
  append?: boolean;
}

export async function runLogCopy(opts: CopyOptions, io: Io): Promise<ExitCode> {
  if (!opts.to) throw usageError('log copy needs --to TARGET (a file path or a postgres:// URL)');
  const source = await existingLog(opts, io);
  // A copy re-chains what it brings: copying a tampered log would launder it.
  const checked = (await source.verify()).tables.flatMap((t) => t.problems);
  if (checked.length > 0) {
    io.err.write(
      `promise: ${source.name} does not verify (${checked.length} problem(s), first: ${checked[0]!.table} ${printable(checked[0]!.message)}): not copied; see promise log verify\n`,
    );
    return EXIT.infeasible;
  }
  const target = await openLog(opts.to, { env: io.env });
  if (target.name === source.name) throw usageError(`--to names the log being copied (${source.name})`);
  const copied = await copyLog(source, target, opts.append === true);
  const { tables, integrity } = await target.verify();
  const problems = tables.flatMap((t) => t.problems);
  const verified = problems.length === 0 && integrity === 'ok';
  const offset = copied.checkOffset;
  if (opts.json) {
    // Each copied check's new id is its old id plus check_offset (0 without --append).
    io.out.write(`${JSON.stringify({ checks: copied.checks, events: copied.events, to: target.name, verified, check_offset: offset })}\n`);
  } else {
    io.out.write(`Copied ${copied.checks} checks and ${copied.events} events from ${source.name} to ${target.name}\n`);
    if (offset > 0) for (let id = 1; id <= copied.checks; id++) io.out.write(`  check ${id} is now ${id + offset}\n`);
    for (const p of problems) io.out.write(`${target.name}: ${p.table} ${printable(p.message)}\n`);
    io.out.write(verified ? `${target.name}: ok (hash chain, commitments, kept texts and integrity intact)\n` : `${target.name}: does NOT verify\n`);
  }
  return verified ? EXIT.ok : EXIT.infeasible;
}
