// Commitments and their holds, rebuilt from the hash-chained events alone. The
// `commitments` and `holds` tables are this, kept up to date for fast reads;
// replay rebuilds what a past check saw, and verify compares the tables with it.
import { committedPart } from '../core/check.js';
import type { Hold } from '../core/commitments/ledger.js';
import type { CheckRow, Status } from './log.js';
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
