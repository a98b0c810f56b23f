// promise log copy --to TARGET [--append]: the current log (--log) into another
// file or database (TEAM.md "Moving a log"), which then verifies. With --append,
// every open commitment brought is re-checked against the target's stock on the
// capabilities (--capabilities); one that no longer fits arrives broken, holding
// nothing, and the copy exits 1 naming it.
import type { Io } from '../../../cli/io.js';
import { type CommonOptions, capabilitiesPath, clockOf, loadCapabilitiesOrFail } from '../../../cli/options.js';
import { printable } from '../../../cli/render.js';
import { existingLog } from '../../../cli/session.js';
import { holdsFit } from '../../../core/commitments/holdsFit.js';
import { Ledger } from '../../../core/commitments/ledger.js';
import { compile } from '../../../core/model.js';
import { customerOf } from '../../../core/promise.js';
import { EXIT, type ExitCode, usageError } from '../../../errors.js';
import { type AppendCheck, copyLog } from '../../../log/copy.js';
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
  const copied = await copyLog(source, target, opts.append ? await appendCheck(opts, io) : null);
  const { tables, integrity } = await target.verify();
  const problems = tables.flatMap((t) => t.problems);
  const verified = problems.length === 0 && integrity === 'ok';
  const offset = copied.checkOffset;
  if (opts.json) {
    // Each copied check's new id is its old id plus check_offset (0 without --append).
    const broken = copied.broken;
    io.out.write(`${JSON.stringify({ checks: copied.checks, events: copied.events, to: target.name, verified, check_offset: offset, broken })}\n`);
  } else {
    io.out.write(`Copied ${copied.checks} checks and ${copied.events} events from ${source.name} to ${target.name}\n`);
    if (offset > 0) for (let id = 1; id <= copied.checks; id++) io.out.write(`  check ${id} is now ${id + offset}\n`);
    for (const b of copied.broken) {
      io.out.write(`  check ${b.id} arrives broken, holding nothing: ${printable(b.reason)} (promise recheck offers what is possible now)\n`);
    }
    for (const p of problems) io.out.write(`${target.name}: ${p.table} ${printable(p.message)}\n`);
    io.out.write(verified ? `${target.name}: ok (hash chain, commitments, kept texts and integrity intact)\n` : `${target.name}: does NOT verify\n`);
  }
  return verified && copied.broken.length === 0 ? EXIT.ok : EXIT.infeasible;
}

/** The target's stock, as the capabilities in use describe it, and today in their zone. */
async function appendCheck(opts: CopyOptions, io: Io): Promise<AppendCheck> {
  const loaded = await loadCapabilitiesOrFail(capabilitiesPath(opts, io.env), opts);
  const model = compile(loaded.caps, loaded.catalogue);
  return {
    today: clockOf(opts).today(loaded.caps.timezone),
    fits: (held, holds, promise) => {
      const fit = holdsFit(model, Ledger.of(held), holds, customerOf(promise));
      return fit.ok ? null : fit.message;
    },
  };
}
