// promise recheck: every open commitment against today's capabilities. Exit 1
// only when one broke; a promise that still holds with a new plan is reported,
// not alarmed about.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../../cli/io.js';
import { type CommonOptions, capabilitiesPath, clockOf, loadCapabilitiesOrFail } from '../../cli/options.js';
import { writeOutputFile } from '../../cli/outputFile.js';
import { describePlan, describePromise, oneLine } from '../../cli/render.js';
import { existingLog } from '../../cli/session.js';
import { recheckCommitments } from '../../core/commitments/recheck.js';
import { compile } from '../../core/model.js';
import { isoDay, parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { statusOn } from '../../log/log.js';
import { parseOutcome } from '../../log/outcomeJson.js';
import { noticeOf, noticeTemplate, renderNotice } from './notices.js';

const LABEL = { ok: 'HOLDS', changed: 'PLAN CHANGED', broken: 'BROKEN', overdue: 'OVERDUE' } as const;

export interface RecheckOptions extends CommonOptions {
  /** Write a customer notice for every broken commitment into this folder. */
  notices?: string;
  template?: string;
}

export async function runRecheck(opts: RecheckOptions, io: Io): Promise<ExitCode> {
  const template = opts.notices === undefined ? '' : noticeTemplate(opts.template);
  const loaded = await loadCapabilitiesOrFail(capabilitiesPath(opts, io.env), opts);
  const log = await existingLog(opts, io);
  const zone = loaded.caps.timezone;
  const now = clockOf(opts).at(zone);
  const today = clockOf(opts).today(zone);
  const model = compile(loaded.caps, loaded.catalogue);
  // An expired quote holds nothing: it is no commitment to re-check.
  const live = (await log.openCommitments()).filter(({ row }) => statusOn(row, today) !== 'expired');
  const commitments = live.map(({ row, alternative }) => ({ id: row.id, alternative, outcome: parseOutcome(row.verdict, row.promise, row.result) }));
  const results = recheckCommitments(model, commitments, now);
  // Quotes whose last day is today or the next workday: worth a word to the customer.
  const soon = isoDay(model.calendar.addWorkdays(parseIsoDay(today)!, 1));
  const expiring = live.filter(({ row }) => row.status === 'held' && row.hold_until! <= soon).map(({ row }) => row);
  const count = (status: keyof typeof LABEL) => results.filter((r) => r.status === status).length;
  if (opts.notices !== undefined) {
    const rows = new Map(live.map(({ row }) => [row.id, row]));
    const notices = results.filter((r) => r.status === 'broken').map((r) => noticeOf(r, rows.get(r.id)!, loaded.caps.company));
    noticesFolder(opts.notices);
    for (const n of notices) {
      const file = join(opts.notices, `notice-${n.id}.md`);
      writeOutputFile(file, renderNotice(template, n), `--notices: ${file}`);
      if (opts.json) io.out.write(`${JSON.stringify({ ...n, file })}\n`);
      else io.out.write(`Wrote ${file}: to ${oneLine(n.customer)} about ${n.promised}\n`);
    }
    if (opts.json) return count('broken') > 0 ? EXIT.infeasible : EXIT.ok;
  }
  if (opts.json) {
    for (const r of results) io.out.write(`${JSON.stringify(r)}\n`);
  } else {
    for (const r of results.filter((x) => x.status !== 'ok')) {
      io.out.write(`#${r.id} ${LABEL[r.status]}: ${describePromise(r.promise)}: ${oneLine(r.reason ?? '')}\n`);
      if (r.status === 'changed') io.out.write(`    still holds; new plan: ${describePlan(r.fresh!.plan!)}\n`);
      else if (r.fresh?.plan) io.out.write(`    now possible: ${describePlan(r.fresh.plan)}\n`);
      else if (r.fresh?.alternative) io.out.write(`    offer instead: ${oneLine(r.fresh.alternative.summary)}\n`);
      else if (r.fresh) io.out.write('    nothing close can be promised now\n');
    }
    for (const row of expiring) {
      io.out.write(
        `#${row.id} QUOTE EXPIRES ${row.hold_until}: ${describePromise(JSON.parse(row.promise))}: confirm it (promise confirm ${row.id}) or let it go\n`,
      );
    }
    io.out.write(
      `${results.length} open commitment(s): ${count('ok')} hold, ${count('changed')} hold with a new plan, ${count('broken')} broken, ${count('overdue')} overdue\n`,
    );
  }
  return count('broken') > 0 ? EXIT.infeasible : EXIT.ok;
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
