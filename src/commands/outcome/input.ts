// promise outcome --input FILE|-: outcomes in bulk from a carrier's or ERP's
// delivery export (LEARN.md). Each line names a commitment by `ref` (the order
// number given at commit) or `id`, with the `delivered` date and optionally the
// `qty` delivered and a `note`. On or before `by` and in full is met, else missed.
// Bad lines are FILE:LINE: message and skipped, as in batches; a line whose
// outcome is already recorded changes nothing, so the same file twice is harmless.
// Each delivery is also kept against its plan (the `delivered` rows calibrate and
// every check's evidence read).

import type { LoadedCapabilities } from '../../capabilities/read.js';
import type { Io } from '../../cli/io.js';
import { type CommonOptions, clockOf, repName } from '../../cli/options.js';
import { capabilitiesAsRecorded, existingLog } from '../../cli/session.js';
import { type CheckOutcome, committedPart } from '../../core/checkPromise.js';
import type { DeliveryPlan } from '../../core/delivery/evaluate.js';
import { chargeOf, signedWorkdays } from '../../core/learn/factors.js';
import type { SalesPromise } from '../../core/promise.js';
import { parseIsoDay } from '../../core/time/days.js';
import { type WorkCalendar, workCalendar } from '../../core/time/workCalendar.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import type { CheckRow, DeliveredRow, Log, LogWriter } from '../../log/log.js';
import { parseOutcome } from '../../log/outcomeJson.js';
import { readItems } from '../check/batchInput.js';

export interface OutcomeInputOptions extends CommonOptions {
  input: string;
}

const COLUMNS = ['ref', 'id', 'delivered', 'qty', 'note'];
const unknownColumn = (name: string) => (COLUMNS.includes(name) ? null : `unknown column "${name}" (outcome --input reads ${COLUMNS.join(', ')})`);

/** Lines written in one transaction: few enough to keep other writers waiting briefly, many enough to be fast. */
const CHUNK = 500;

interface Line {
  line: number;
  row: CheckRow;
  delivered: string;
  qty: number | null;
  note: string | null;
}

/** What the caps a check was made on tell about it, computed once per capabilities hash. */
interface Recorded {
  loaded: LoadedCapabilities;
  calendar: WorkCalendar;
  today: string;
}

export async function runOutcomeInput(opts: OutcomeInputOptions, io: Io): Promise<ExitCode> {
  if (opts.log === false) throw usageError('this command works on the log: --no-log does not apply');
  const log = await existingLog(opts, io);
  const rep = repName(opts, io.env);
  const file = opts.input;
  const recorded = new Map<string, Recorded>();
  const counts = { met: 0, missed: 0, unchanged: 0, bad: 0 };
  // Bad lines are reported in line order, a chunk at a time (those refused inside a transaction are known only then).
  let refused: { line: number; message: string }[] = [];
  const bad = (line: number, message: string) => refused.push({ line, message });
  const report = () => {
    for (const r of refused.sort((a, b) => a.line - b.line)) io.err.write(`${file}:${r.line}: ${r.message}\n`);
    counts.bad += refused.length;
    refused = [];
  };
  let chunk: Line[] = [];
  const flush = async () => {
    const lines = chunk;
    chunk = [];
    if (lines.length > 0) {
      const results = await log.write(async (tx) => {
        const out: string[] = [];
        for (const l of lines) out.push(await closeOne(tx, l, recorded.get(l.row.capabilities_sha256)!, rep));
        return out;
      });
      results.forEach((r, i) => {
        if (r === 'met' || r === 'missed' || r === 'unchanged') counts[r]++;
        else bad(lines[i]!.line, r);
      });
    }
    report();
  };
  for await (const item of readItems(file, io.stdin, unknownColumn)) {
    if ('error' in item) {
      bad(item.line, item.error);
      continue;
    }
    const parsed = await parseLine(log, item.line, item.fields, recorded, opts);
    if (typeof parsed === 'string') bad(item.line, parsed);
    else chunk.push(parsed);
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
  const summary = { met: counts.met, missed: counts.missed, unchanged: counts.unchanged, skipped: counts.bad };
  if (opts.json) io.out.write(`${JSON.stringify(summary)}\n`);
  else
    io.out.write(
      `Outcomes: ${counts.met} met, ${counts.missed} missed, ${counts.unchanged} already recorded${counts.bad ? `, ${counts.bad} line${counts.bad === 1 ? '' : 's'} skipped` : ''}\n`,
    );
  return counts.bad > 0 ? EXIT.usage : EXIT.ok;
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v).trim());

async function parseLine(log: Log, line: number, f: Record<string, unknown>, recorded: Map<string, Recorded>, opts: CommonOptions): Promise<Line | string> {
  for (const name of Object.keys(f)) {
    const unknown = unknownColumn(name);
    if (unknown) return unknown.replace('column', 'field');
  }
  const ref = text(f.ref);
  const idText = text(f.id);
  if ((ref === null) === (idText === null)) return 'needs ref or id (one of them)';
  let id: number | undefined;
  if (idText !== null) {
    if (!/^\d{1,15}$/.test(idText)) return `id must be a check id (a whole number), not "${idText}"`;
    id = Number(idText);
  } else {
    id = await log.checkByRef(ref!);
    if (id === undefined) return `no commitment with ref "${ref}" in ${log.name}`;
  }
  const row = await log.getCheck(id);
  if (!row) return `no check ${id} in ${log.name}`;
  const delivered = text(f.delivered);
  if (delivered === null || parseIsoDay(delivered) === null) return `delivered must be a date YYYY-MM-DD${delivered === null ? '' : `, not "${delivered}"`}`;
  const qtyText = text(f.qty);
  if (qtyText !== null && !/^\d{1,10}$/.test(qtyText)) return `qty must be a whole number of units delivered, not "${qtyText}"`;
  const note = text(f.note);
  if (note !== null && note.length > 2000) return 'note is longer than 2000 characters';
  let rec = recorded.get(row.capabilities_sha256);
  if (!rec) {
    const loaded = await capabilitiesAsRecorded(log, row);
    const zone = loaded.caps.timezone;
    const calendar = workCalendar(loaded.caps.calendar.workdays, loaded.caps.calendar.holidays);
    rec = { loaded, calendar, today: clockOf(opts).today(zone) };
    recorded.set(row.capabilities_sha256, rec);
  }
  if (delivered > rec.today) return `delivered ${delivered} is in the future (today is ${rec.today} in ${rec.loaded.caps.timezone})`;
  if (delivered < row.now.slice(0, 10)) return `delivered ${delivered} is before check ${row.id} was made (${row.now.slice(0, 10)})`;
  return { line, row, delivered, qty: qtyText === null ? null : Number(qtyText), note };
}

/** Inside the write transaction: the line's outcome, or why it is refused. */
async function closeOne(tx: LogWriter, l: Line, rec: Recorded, rep: string): Promise<string> {
  const now = (await tx.getCheck(l.row.id))!;
  const outcome = parseOutcome(now.verdict, now.promise, now.result);
  const part = committedPart(outcome, now.alternative);
  const promise: SalesPromise = part.alternative?.promise ?? outcome.promise;
  if (promise.kind === 'service') return `check ${now.id} is a service promise: outcomes in bulk are deliveries`;
  const wanted = promise.kind === 'delivery' ? promise.qty : promise.lines.reduce((s, x) => s + x.qty, 0);
  const status = l.delivered <= promise.by && (l.qty === null || l.qty >= wanted) ? 'met' : 'missed';
  const lateWorkdays = rec.calendar.workdaysBetween(parseIsoDay(promise.by)!, parseIsoDay(l.delivered)!);
  if (now.status === 'met' || now.status === 'missed') {
    // Recorded already: the same outcome again changes nothing; another one is refused.
    if (now.status === status && (now.late_workdays ?? 0) === lateWorkdays) return 'unchanged';
    return `check ${now.id} is already recorded as ${now.status}${now.late_workdays ? `, ${now.late_workdays} workdays late` : ''}`;
  }
  if (now.status !== 'open' && now.status !== 'held') return `check ${now.id} is ${now.status === 'checked' ? 'not committed' : now.status}`;
  await tx.closeCommitment(now.id, status, rep, { on: l.delivered, ...(l.note ? { note: l.note } : {}), lateWorkdays });
  const kept = promise.kind === 'delivery' ? deliveredRow(now.id, promise, planOf(outcome, part.alternative), l.delivered, rec) : null;
  if (kept) await tx.recordDelivered(kept);
  return status;
}

function planOf(outcome: CheckOutcome, alternative: ReturnType<typeof committedPart>['alternative']): DeliveryPlan | null {
  const plan = alternative ? alternative.plan : outcome.plan;
  return plan && 'delivery_date' in plan ? (plan as DeliveryPlan) : null;
}

/** The delivery against its plan, charged to the factor of src/core/learn/factors.ts (none: nothing to learn from). */
function deliveredRow(checkId: number, promise: { sku: string; to: string }, plan: DeliveryPlan | null, delivered: string, rec: Recorded): DeliveredRow | null {
  if (!plan) return null;
  const charge = chargeOf(rec.loaded.caps, rec.loaded.catalogue.get(promise.sku), { sku: promise.sku, to: promise.to, plan });
  if (!charge) return null;
  const late = signedWorkdays(rec.calendar.workdaysBetween, parseIsoDay(plan.delivery_date)!, parseIsoDay(delivered)!);
  return { check_id: checkId, delivered_on: delivered, factor: charge.factor, key: charge.key, declared: charge.declared, late };
}
