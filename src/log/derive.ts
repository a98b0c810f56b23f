// Commitments and their holds, rebuilt from the hash-chained events alone. The
// `commitments` and `holds` tables are this, kept up to date for fast reads;
// replay rebuilds what a past check saw, and verify compares the tables with it.
import { committedPart } from '../core/check.js';
import type { Hold } from '../core/commitments/ledger.js';
import { isoDay } from '../core/time/days.js';
import type { CheckRow, LogProblem, Status } from './log.js';
import { parseOutcome } from './outcomeJson.js';

export type EventKind = 'commit' | 'release' | 'outcome';

export interface EventDetail {
  alternative?: number;
  met?: boolean;
  on?: string;
  note?: string;
}

export interface EventRow {
  check_id: number;
  kind: EventKind;
  detail: string;
}

export interface DerivedCommitment {
  alternative: number | null;
  status: Exclude<Status, 'checked'>;
  outcome_on: string | null;
  note: string | null;
  /** What it holds while open (empty once closed). */
  holds: Hold[];
}

/** Events in id order; `checkOf` gives the row of the check an event is about. */
export function deriveCommitments(
  events: Iterable<EventRow>,
  checkOf: (id: number) => Pick<CheckRow, 'verdict' | 'promise' | 'result'>,
): Map<number, DerivedCommitment> {
  const out = new Map<number, DerivedCommitment>();
  for (const e of events) {
    const detail = JSON.parse(e.detail) as EventDetail;
    if (e.kind === 'commit') {
      const row = checkOf(e.check_id);
      const alternative = detail.alternative ?? null;
      const holds = committedPart(parseOutcome(row.verdict, row.promise, row.result), alternative).holds;
      out.set(e.check_id, { alternative, status: 'open', outcome_on: null, note: null, holds });
      continue;
    }
    const c = out.get(e.check_id);
    if (!c) continue;
    c.holds = [];
    if (e.kind === 'release') c.status = 'released';
    else {
      c.status = detail.met ? 'met' : 'missed';
      c.outcome_on = detail.on ?? null;
      c.note = detail.note ?? null;
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
}

export type HoldRow = Hold & { check_id: number };

const holdText = (h: Hold) => `${h.qty} ${h.sku} at ${h.location} on ${isoDay(h.day)} (${h.source}${h.protected ? `, ${h.protected} protected` : ''})`;

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
    for (const field of ['alternative', 'status', 'outcome_on', 'note'] as const) {
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
