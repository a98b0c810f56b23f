// Commitments and their holds, rebuilt from the hash-chained events alone. The
// `commitments` and `holds` tables are this, kept up to date for fast reads;
// replay rebuilds what a past check saw, and verify compares the tables with it.
import { committedPart } from '../core/checkPromise.js';
import type { Hold } from '../core/commitments/ledger.js';
import { isoDay, parseIsoDay } from '../core/time/days.js';
import type { CheckRow, LogProblem, Status } from './log.js';
import { parseOutcome } from './outcomeJson.js';
import { type Sql, sql } from './sql.js';

export type EventKind = 'commit' | 'confirm' | 'release' | 'outcome' | 'replan';

export interface EventDetail {
  alternative?: number;
  /** commit: a quote that holds until the end of this day (FOLLOW-UP.md). */
  hold_until?: string;
  /** commit: what operations should know beyond the promise. */
  handoff_note?: string;
  /** commit: the order number in the CRM or ERP (LEARN.md). */
  ref?: string;
  met?: boolean;
  on?: string;
  note?: string;
  /** outcome: workdays after the promised date it happened (0 if in time). */
  late_workdays?: number;
  /** replan (COMMITMENTS.md): what the commitment holds from now on, days as YYYY-MM-DD. */
  holds?: (Omit<Hold, 'day' | 'until'> & { day: string })[];
  /** replan: its parts as now planned (a split has two), replacing what was committed. */
  parts?: unknown[];
}

export interface EventRow {
  check_id: number;
  kind: EventKind;
  detail: string;
}

export interface DerivedCommitment {
  alternative: number | null;
  /** Stored statuses: a held quote past its date is 'held' here and 'expired' to whoever reads it on a later day. */
  status: Exclude<Status, 'checked' | 'expired'>;
  outcome_on: string | null;
  note: string | null;
  hold_until: string | null;
  handoff_note: string | null;
  late_workdays: number | null;
  /** Its parts as last re-planned (JSON text, as stored), or null: as committed. */
  parts: string | null;
  /** The CRM or ERP order number it was committed under. */
  ref: string | null;
  /** What it holds while open or held (empty once closed); a quote's holds end with its day. */
  holds: Hold[];
}

/** What a commit may say beyond the holds. */
export interface CommitTerms {
  holdUntil?: string;
  note?: string;
  /** The CRM or ERP order number (LEARN.md). */
  ref?: string;
}

/** Events in id order; `checkOf` gives the row of the check an event is about. */
export function deriveCommitments(
  events: Iterable<EventRow>,
  checkOf: (id: number) => Pick<CheckRow, 'verdict' | 'promise' | 'result'>,
  /** Carry on from the commitments earlier events made (events read a page at a time). */
  out = new Map<number, DerivedCommitment>(),
): Map<number, DerivedCommitment> {
  for (const e of events) {
    const detail = JSON.parse(e.detail) as EventDetail;
    if (e.kind === 'commit') {
      const row = checkOf(e.check_id);
      const alternative = detail.alternative ?? null;
      const made = committed(committedPart(parseOutcome(row.verdict, row.promise, row.result), alternative).holds, detail);
      out.set(e.check_id, { alternative, outcome_on: null, note: null, late_workdays: null, parts: null, ...made });
      continue;
    }
    const c = out.get(e.check_id);
    if (!c) continue;
    if (e.kind === 'replan') {
      Object.assign(c, replanned(detail, c.hold_until));
      continue;
    }
    if (e.kind === 'confirm') {
      c.status = 'open';
      c.hold_until = null;
      c.holds = c.holds.map(({ until: _until, ...h }) => h);
      continue;
    }
    c.holds = [];
    if (e.kind === 'release') c.status = 'released';
    else {
      c.status = detail.met ? 'met' : 'missed';
      c.outcome_on = detail.on ?? null;
      c.note = detail.note ?? null;
      c.late_workdays = detail.late_workdays ?? null;
    }
  }
  return out;
}

export interface CommitmentRow {
  check_id: number;
  alternative: number | null;
  status: string;
  outcome_on: string | null;
  note: string | null;
  hold_until: string | null;
  handoff_note: string | null;
  late_workdays: number | null;
  parts: string | null;
  ref: string | null;
}

/** The columns of `commitments` the events decide (SELECT them in this order). */
export const COMMITMENT_COLUMNS = [
  'check_id',
  'alternative',
  'status',
  'outcome_on',
  'note',
  'hold_until',
  'handoff_note',
  'late_workdays',
  'parts',
  'ref',
] as const;

export type HoldRow = Hold & { check_id: number };

const holdText = (h: Hold) =>
  `${h.qty} ${h.sku} at ${h.location} on ${isoDay(h.day)} (${h.source}${h.protected ? `, ${h.protected} protected` : ''}${h.until !== undefined && h.until !== null ? `, until ${isoDay(h.until)}` : ''})`;

/** Every row of `commitments` and `holds` that is not what the events make of them, named. */
export function compareDerived(derived: Map<number, DerivedCommitment>, rows: readonly CommitmentRow[], holds: readonly HoldRow[]): LogProblem[] {
  const problems: LogProblem[] = [];
  const seen = new Set<number>();
  for (const r of rows) {
    seen.add(r.check_id);
    const d = derived.get(r.check_id);
    if (!d) {
      problems.push({ table: 'commitments', id: r.check_id, message: `row for check ${r.check_id} has no commit event behind it` });
      continue;
    }
    for (const field of COMMITMENT_COLUMNS.slice(1) as readonly Exclude<(typeof COMMITMENT_COLUMNS)[number], 'check_id'>[]) {
      if (r[field] === d[field]) continue;
      const message = `row for check ${r.check_id} says ${field} ${JSON.stringify(r[field])}, its events say ${JSON.stringify(d[field])}`;
      problems.push({ table: 'commitments', id: r.check_id, message });
    }
  }
  for (const id of derived.keys()) {
    if (!seen.has(id)) problems.push({ table: 'commitments', id, message: `row for check ${id} is missing (its commit event is there)` });
  }
  const held = new Map<number, string[]>();
  for (const h of holds) held.set(h.check_id, [...(held.get(h.check_id) ?? []), holdText(h)]);
  for (const id of new Set([...held.keys(), ...derived.keys()])) {
    const want = (derived.get(id)?.holds ?? []).map(holdText).sort();
    const have = (held.get(id) ?? []).sort();
    if (want.join('|') !== have.join('|')) {
      problems.push({
        table: 'holds',
        id,
        message: `rows of check ${id} hold ${have.join(', ') || 'nothing'}; its events hold ${want.join(', ') || 'nothing'}`,
      });
    }
  }
  return problems;
}

/** The detail a commit event records (only what is set, so older events hash as they did). */
export function commitDetail(alternative: number | null, terms: CommitTerms): EventDetail {
  return {
    ...(alternative === null ? {} : { alternative }),
    ...(terms.holdUntil ? { hold_until: terms.holdUntil } : {}),
    ...(terms.note ? { handoff_note: terms.note } : {}),
    ...(terms.ref ? { ref: terms.ref } : {}),
  };
}

/** What a commit event makes of a commitment row and its holds (a quote's holds end with its day). */
export function committed(holds: readonly Hold[], detail: EventDetail) {
  const until = detail.hold_until === undefined ? undefined : parseIsoDay(detail.hold_until)!;
  return {
    status: detail.hold_until ? ('held' as const) : ('open' as const),
    hold_until: detail.hold_until ?? null,
    handoff_note: detail.handoff_note ?? null,
    ref: detail.ref ?? null,
    holds: holds.map((h) => (until === undefined ? h : { ...h, until })),
  };
}

/** The detail a replan event records: the new holds (days as dates) and parts. */
export function replanDetail(holds: readonly Hold[], parts: readonly unknown[]): EventDetail {
  const plain = holds.map((h) => ({
    location: h.location,
    sku: h.sku,
    qty: h.qty,
    day: isoDay(h.day),
    source: h.source,
    ...(h.protected ? { protected: h.protected } : {}),
  }));
  return { holds: plain, parts: [...parts] };
}

/** What a replan event makes of a commitment: its new holds (a quote's end with its day) and parts. */
export function replanned(detail: EventDetail, holdUntil: string | null): { holds: Hold[]; parts: string } {
  const until = holdUntil === null ? undefined : parseIsoDay(holdUntil)!;
  const holds = (detail.holds ?? []).map((h) => ({ ...h, day: parseIsoDay(h.day)!, ...(until === undefined ? {} : { until }) }));
  return { holds, parts: JSON.stringify(detail.parts ?? []) };
}

export function closeDetail(status: 'released' | 'met' | 'missed', detail: { on?: string; note?: string; lateWorkdays?: number }): EventDetail {
  if (status === 'released') return {};
  return {
    met: status === 'met',
    ...(detail.on ? { on: detail.on } : {}),
    ...(detail.note ? { note: detail.note } : {}),
    ...(detail.lateWorkdays !== undefined ? { late_workdays: detail.lateWorkdays } : {}),
  };
}

/** The holds still holding on `today`: firm commitments, and quotes through their last day. */
export function holdingOn(derived: Map<number, DerivedCommitment>, today: string): Hold[] {
  const day = parseIsoDay(today)!;
  return [...derived.values()].flatMap((c) => c.holds.filter((h) => h.until === undefined || h.until === null || h.until >= day));
}

/** SQL for `log --status`: held and expired are told apart by today. */
export function statusCondition(status: string, today: string): Sql {
  if (status === 'checked') return sql`m.check_id IS NULL`;
  if (status === 'held') return sql`m.status = 'held' AND m.hold_until >= ${today}`;
  if (status === 'expired') return sql`m.status = 'held' AND m.hold_until < ${today}`;
  return sql`m.status = ${status}`;
}

/** Commitments open, or held through `today`, as the events made them, in commit order, with their check rows. */
export function liveAsOf(
  derived: Map<number, DerivedCommitment>,
  today: string,
  rowOf: (id: number) => CheckRow,
): { row: CheckRow; holds: Hold[]; parts: string | null }[] {
  const day = parseIsoDay(today)!;
  const out: { row: CheckRow; holds: Hold[]; parts: string | null }[] = [];
  for (const [id, c] of derived) {
    if (c.status !== 'open' && !(c.status === 'held' && c.hold_until !== null && c.hold_until >= today)) continue;
    const row = { ...rowOf(id), status: c.status, alternative: c.alternative, hold_until: c.hold_until };
    out.push({ row, holds: c.holds.filter((h) => h.until === undefined || h.until === null || h.until >= day), parts: c.parts });
  }
  return out;
}

/** Commit order: the id of a check's first event (its commit), the same on every database and in replay. */
export const COMMIT_ORDER = sql`(SELECT MIN(e.id) FROM events e WHERE e.check_id = c.id)`;
