// promise handoff: every firm commitment and live quote as operations needs it
// (FOLLOW-UP.md): who, what, from where, by which lane, when it ships and
// arrives, its status and the rep's note. As a table, CSV, JSON, or an
// iCalendar feed (RFC 5545) with one all-day event per shipment on its ship
// date, so a warehouse can subscribe to what sales promised.
import { createHash } from 'node:crypto';
import type { Io } from '../../cli/io.js';
import { openCommitmentOf } from '../../cli/openCommitments.js';
import type { CommonOptions } from '../../cli/options.js';
import { describePromise } from '../../cli/render.js';
import { companyToday, existingLog } from '../../cli/session.js';
import { printCsv, printTable, type Row } from '../../cli/table.js';
import type { Plan } from '../../core/checkPromise.js';
import { partsOf } from '../../core/commitments/replan.js';
import type { DeliveryPlan } from '../../core/delivery/evaluate.js';
import type { OrderPlan } from '../../core/order/evaluate.js';
import { linePromise } from '../../core/promise.js';
import { parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { type CheckRow, type LiveCommitment, type Log, statusOn } from '../../log/log.js';
import { calendar, type EventMeta } from './ics.js';

export interface HandoffOptions extends CommonOptions {
  from?: string;
  since?: string;
  until?: string;
  format: string;
}

/** One thing operations must do: a shipment (or a service to stand ready for). */
export interface Shipment {
  id: number;
  /** The order number in the CRM or ERP, given at commit (LEARN.md). */
  ref: string | null;
  /** Which shipment of the commitment (1 for most; an order's line, a split's part). */
  part: number;
  customer: string | null;
  rep: string;
  what: string;
  location: string | null;
  /** stock, make_to_order, stock_and_make_to_order, or replenishment: what operations must buy. */
  source: string | null;
  method: string | null;
  ship_date: string | null;
  delivery_date: string | null;
  status: string;
  hold_until: string | null;
  note: string | null;
  committed_at: string;
}

const FORMATS = ['table', 'csv', 'json', 'ics'];
const COLUMNS = ['id', 'ref', 'customer', 'rep', 'what', 'location', 'source', 'method', 'ship_date', 'delivery_date', 'status', 'note'];

export async function runHandoff(opts: HandoffOptions, io: Io): Promise<ExitCode> {
  if (!FORMATS.includes(opts.format)) throw usageError(`--format must be one of ${FORMATS.join(', ')}, not "${opts.format}"`);
  for (const [flag, value] of [
    ['--since', opts.since],
    ['--until', opts.until],
  ] as const) {
    if (value !== undefined && parseIsoDay(value) === null) throw usageError(`${flag} must be a date YYYY-MM-DD, not "${value}"`);
  }
  const log = await existingLog(opts, io);
  const today = await companyToday(opts, io);
  // As they stand now: a commitment `recheck --apply` re-planned ships as re-planned.
  const open = await log.liveCommitments(today);
  const shipments = open
    .flatMap((live) => shipmentsOf(live, statusOn(live.row, today)))
    .filter((s) => opts.from === undefined || s.location === opts.from)
    .filter(
      (s) =>
        (opts.since === undefined && opts.until === undefined) ||
        (s.ship_date !== null && s.ship_date >= (opts.since ?? '') && s.ship_date <= (opts.until ?? '9999')),
    )
    .sort((a, b) => (a.ship_date ?? '').localeCompare(b.ship_date ?? '') || a.id - b.id || a.part - b.part);
  if (opts.format === 'json') io.out.write(`${JSON.stringify(shipments)}\n`);
  else if (opts.format === 'ics') io.out.write(calendar(shipments, await eventMeta(log, shipments, new Map(open.map(({ row }) => [row.id, row])))));
  else if (opts.format === 'csv') printCsv(io, shipments as unknown as Row[], COLUMNS);
  else if (shipments.length === 0) io.out.write('Nothing committed to hand off.\n');
  else await printTable(io, shipments as unknown as Row[], COLUMNS);
  return EXIT.ok;
}

/**
 * A check by what it is, not by where it is: its recorded fields (when, by whom,
 * for whom, what, on which capabilities, with what result), hashed. The same in
 * every copy of the log under any path, and apart from the id and the chain, so
 * `log copy --append` (new ids) keeps it too.
 */
export function checkIdentity(row: CheckRow): string {
  const fields = [row.recorded_at, row.now, row.rep, row.customer, row.promise, row.verdict, row.result, row.capabilities_sha256];
  return createHash('sha256')
    .update(fields.map((f) => (f === null ? '-' : `${f.length}:${f}`)).join('\n'))
    .digest('hex')
    .slice(0, 24);
}

/** UID, SEQUENCE and LAST-MODIFIED of each shipment's commitment, from its events. */
async function eventMeta(log: Log, shipments: readonly Shipment[], rows: ReadonlyMap<number, CheckRow>): Promise<(s: Shipment) => EventMeta> {
  const events = new Map<number, { count: number; last: string }>();
  for (const e of await log.openCommitmentEvents()) {
    const seen = events.get(e.check_id);
    events.set(e.check_id, { count: (seen?.count ?? 0) + 1, last: e.at });
  }
  // Two checks alike in every recorded field (a batch repeating a line) are told apart by their order, which every copy keeps.
  const identities = new Map<number, string>();
  const taken = new Map<string, number>();
  for (const id of [...new Set(shipments.map((s) => s.id))].sort((a, b) => a - b)) {
    const base = checkIdentity(rows.get(id)!);
    const n = taken.get(base) ?? 0;
    taken.set(base, n + 1);
    identities.set(id, n === 0 ? base : `${base}-${n}`);
  }
  return (s) => {
    const e = events.get(s.id);
    return { identity: identities.get(s.id)!, sequence: Math.max(0, (e?.count ?? 1) - 1), lastModified: e?.last ?? s.committed_at };
  };
}

/** The shipments a commitment makes: one per delivery, per order line, per part of a split. */
const wasLine = (plan: Plan | null, line: number): DeliveryPlan | null =>
  plan === null ? null : 'lines' in plan ? ((plan as OrderPlan).lines[line] ?? null) : 'from' in plan ? (plan as DeliveryPlan) : null;

/** The shipments a commitment makes: one per delivery, per order line, per part of a split. */
function shipmentsOf(live: LiveCommitment, status: string): Shipment[] {
  const { row } = live;
  const open = openCommitmentOf(live);
  const parts = partsOf(open);
  // What changed, for operations: the plan as committed, when it was re-planned since.
  const was = open.parts ? partsOf({ ...open, parts: null }) : null;
  const base = {
    id: row.id,
    ref: row.ref,
    customer: row.customer,
    rep: row.rep,
    status,
    hold_until: row.hold_until,
    note: row.handoff_note,
    committed_at: row.committed_at ?? row.recorded_at,
  };
  const out: Shipment[] = [];
  for (const part of parts) {
    const { promise, plan } = part;
    if (promise.kind === 'service') {
      out.push({
        ...base,
        part: out.length + 1,
        what: describePromise(promise),
        location: null,
        source: null,
        method: null,
        ship_date: null,
        delivery_date: null,
      });
      continue;
    }
    const lines =
      promise.kind === 'order'
        ? promise.lines.map((l, i) => ({ promise: linePromise(promise, l), plan: (plan as OrderPlan).lines[i]! }))
        : [{ promise, plan: plan as DeliveryPlan }];
    for (const [i, line] of lines.entries()) {
      const before = was && wasLine(was[parts.indexOf(part)]?.plan ?? null, i);
      const moved = before && (before.from !== line.plan.from || before.ship_date !== line.plan.ship_date || before.delivery_date !== line.plan.delivery_date);
      const replanNote = moved ? `re-planned (was ${before.from}, ships ${before.ship_date}, arrives ${before.delivery_date})` : null;
      out.push({
        ...base,
        note: [replanNote, base.note].filter((n) => n).join('; ') || null,
        part: out.length + 1,
        what: `${line.promise.qty} × ${line.promise.sku} to ${line.promise.to}`,
        location: line.plan.from,
        source: line.plan.source,
        method: line.plan.method,
        ship_date: line.plan.ship_date,
        delivery_date: line.plan.delivery_date,
      });
    }
  }
  return out;
}
