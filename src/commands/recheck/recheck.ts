// promise recheck: every open commitment planned again against today's
// capabilities (COMMITMENTS.md), in priority order. Exit 1 only when one broke;
// a promise that still holds with a new plan is reported, not alarmed about.
// --apply writes the new plans (one transaction, 'replan' events); without it
// nothing is written.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../../cli/io.js';
import { openCommitmentOf } from '../../cli/openCommitments.js';
import { type CommonOptions, capabilitiesPath, clockOf, loadCapabilitiesOrFail, repName } from '../../cli/options.js';
import { writeOutputFile } from '../../cli/outputFile.js';
import { describePlan, describePromise, oneLine } from '../../cli/render.js';
import { existingLog } from '../../cli/session.js';
import { type Replanned, type ReplanStatus, replanAll } from '../../core/commitments/replan.js';
import { compile, type Model } from '../../core/model.js';
import { isoDay, parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import type { CheckRow, LogReader, LogWriter } from '../../log/log.js';
import { noticeOf, noticeTemplate, renderNotice } from './notices.js';

const LABEL: Record<ReplanStatus, string> = { holds: 'HOLDS', changed: 'PLAN CHANGED', at_risk: 'AT RISK', broken: 'BROKEN', overdue: 'OVERDUE' };

export interface RecheckOptions extends CommonOptions {
  /** Write a customer notice for every broken commitment, and every one delivered later, into this folder. */
  notices?: string;
  template?: string;
  /** Write the new plans: holds move to where the units now come from. */
  apply?: boolean;
}

export async function runRecheck(opts: RecheckOptions, io: Io): Promise<ExitCode> {
  const template = opts.notices === undefined ? '' : noticeTemplate(opts.template);
  const loaded = await loadCapabilitiesOrFail(capabilitiesPath(opts, io.env), opts);
  const log = await existingLog(opts, io);
  const zone = loaded.caps.timezone;
  const now = clockOf(opts).at(zone);
  const today = clockOf(opts).today(zone);
  const model = compile(loaded.caps, loaded.catalogue);
  const rep = repName(opts, io.env);
  // With --apply, planned and written under one lock, so no commit slips in between.
  const { results, rows } = opts.apply
    ? await log.write(async (tx) => {
        await tx.lockForCommit('all');
        const planned = await replanLog(tx, model, today, now);
        await applyPlans(tx, planned.results, rep);
        return planned;
      })
    : await replanLog(log, model, today, now);
  // Quotes whose last day is today or the next workday: worth a word to the customer.
  const soon = isoDay(model.calendar.addWorkdays(parseIsoDay(today)!, 1));
  const expiring = [...rows.values()].filter((row) => row.status === 'held' && row.hold_until! <= soon);
  const count = (status: ReplanStatus) => results.filter((r) => r.status === status).length;
  const broken = count('broken') > 0;
  if (opts.notices !== undefined) {
    const notices = results.filter((r) => r.status === 'broken' || r.later).map((r) => noticeOf(r, rows.get(r.id)!, loaded.caps.company));
    noticesFolder(opts.notices);
    for (const n of notices) {
      const file = join(opts.notices, `notice-${n.id}.md`);
      writeOutputFile(file, renderNotice(template, n), `--notices: ${file}`);
      if (opts.json) io.out.write(`${JSON.stringify({ ...n, file })}\n`);
      else io.out.write(`Wrote ${file}: to ${oneLine(n.customer)} about ${n.promised}\n`);
    }
    if (opts.json) return broken ? EXIT.infeasible : EXIT.ok;
  }
  if (opts.json) {
    for (const r of results) io.out.write(`${JSON.stringify(jsonOf(r, opts.apply === true))}\n`);
    return broken ? EXIT.infeasible : EXIT.ok;
  }
  for (const r of results.filter((x) => x.status !== 'holds')) {
    io.out.write(`#${r.id} ${LABEL[r.status]}: ${r.parts.map((p) => describePromise(p.promise)).join('; then ')}: ${oneLine(r.reason ?? '')}\n`);
    if (r.status === 'broken') {
      const offer = r.alternatives[0];
      if (offer) io.out.write(`    offer instead: ${oneLine(offer.summary)} (promise commit ${r.id} --alternative 1)\n`);
      else if (r.parts.some((p) => p.now)) io.out.write(`    now possible: ${r.parts.map((p) => (p.now ? describePlan(p.now) : '-')).join('; ')}\n`);
      else io.out.write('    nothing close can be promised now\n');
    } else if (r.moved) {
      for (const [i, p] of r.parts.entries()) {
        const part = r.parts.length > 1 ? `part ${i + 1}: ` : '';
        io.out.write(`    still holds; ${part}new plan: ${p.now ? describePlan(p.now) : '-'}${p.was ? ` (was: ${describePlan(p.was)})` : ''}\n`);
      }
    }
  }
  for (const row of expiring) {
    io.out.write(
      `#${row.id} QUOTE EXPIRES ${row.hold_until}: ${describePromise(JSON.parse(row.promise))}: confirm it (promise confirm ${row.id}) or let it go\n`,
    );
  }
  const moved = results.filter((r) => r.moved && r.status !== 'broken' && r.status !== 'overdue').length;
  io.out.write(
    `${results.length} open commitment(s): ${count('holds')} hold, ${count('changed')} hold with a new plan, ${count('at_risk')} at risk, ${count('broken')} broken, ${count('overdue')} overdue\n`,
  );
  if (moved > 0)
    io.out.write(
      opts.apply ? `Applied ${moved} new plan(s): their holds moved\n` : `Dry run: promise recheck --apply moves the holds of ${moved} commitment(s)\n`,
    );
  return broken ? EXIT.infeasible : EXIT.ok;
}

/** Every live commitment re-planned against `model`: results in priority order, rows by id. */
export async function replanLog(log: LogReader, model: Model, today: string, now: Date): Promise<{ results: Replanned[]; rows: Map<number, CheckRow> }> {
  const live = await log.liveCommitments(today);
  const { results } = replanAll(model, live.map(openCommitmentOf), now);
  return { results, rows: new Map(live.map(({ row }) => [row.id, row])) };
}

/** Commitments still kept, with new holds or plans: a replan event each. Broken ones keep what they hold. */
async function applyPlans(tx: LogWriter, results: readonly Replanned[], rep: string): Promise<void> {
  for (const r of results) {
    if (!r.moved || r.status === 'broken' || r.status === 'overdue') continue;
    await tx.replan(
      r.id,
      r.holds,
      r.parts.map((p) => ({ promise: p.promise, plan: p.now })),
      rep,
    );
  }
}

function jsonOf(r: Replanned, applied: boolean) {
  return {
    id: r.id,
    status: r.status,
    reason: r.reason,
    promise: r.parts[0]!.promise,
    parts: r.parts,
    moved: r.moved,
    later: r.later,
    ...(r.moved && r.status !== 'broken' && r.status !== 'overdue' ? { applied } : {}),
    ...(r.status === 'broken' ? { alternatives: r.alternatives.map(({ holds: _holds, ...a }) => a) } : {}),
  };
}

/** The --notices folder, made if missing; a file (or anything but a folder) there is one line, exit 2. */
function noticesFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
    if (!statSync(folder).isDirectory()) throw new Error('ENOTDIR');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'ENOTDIR';
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'is not a folder (or a file is in its path)'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot be made (${code})`;
    throw usageError(`--notices ${folder}: ${why}`);
  }
}
