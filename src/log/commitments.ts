// Commitments: a checked promise (or one of its alternatives) made to a customer.
// Events are the record (hash-chained); `commitments` and `holds` are derived state
// kept in the same transaction for fast reads.
import { type CheckOutcome, committedPart } from '../core/check.js';
import type { Hold } from '../core/commitments/ledger.js';
import { parseOutcome } from './outcomeJson.js';
import { appendChained } from './chain.js';
import type { Db } from './db.js';

export type EventKind = 'commit' | 'release' | 'outcome';

export interface EventDetail {
  alternative?: number;
  met?: boolean;
  on?: string;
  note?: string;
}

/** Open holds, all or of one sku; the demand side of ATP. */
export function openHolds(db: Db, sku?: string): Hold[] {
  const rows = sku === undefined
    ? db.prepare('SELECT location, sku, qty, day, source FROM holds').all()
    : db.prepare('SELECT location, sku, qty, day, source FROM holds WHERE sku = ?').all(sku);
  return rows as Hold[];
}

/** Call inside a write transaction. */
export function appendEvent(db: Db, checkId: number, kind: EventKind, rep: string, detail: EventDetail): number {
  const [id] = appendChained(db, 'events', [{ check_id: checkId, kind, at: new Date().toISOString(), rep, detail: JSON.stringify(detail) }]);
  return id!;
}

export function insertCommitment(db: Db, checkId: number, alternative: number | null, holds: readonly Hold[]): void {
  db.prepare("INSERT INTO commitments (check_id, alternative, status, committed_at) VALUES (?, ?, 'open', ?)").run(
    checkId,
    alternative,
    new Date().toISOString(),
  );
  const insert = db.prepare('INSERT INTO holds (check_id, location, sku, qty, day, source) VALUES (?, ?, ?, ?, ?, ?)');
  for (const h of holds) insert.run(checkId, h.location, h.sku, h.qty, h.day, h.source);
}

export function closeCommitment(db: Db, checkId: number, status: 'released' | 'met' | 'missed', on: string | null, note: string | null): void {
  db.prepare('UPDATE commitments SET status = ?, outcome_on = ?, note = ? WHERE check_id = ?').run(status, on, note, checkId);
  db.prepare('DELETE FROM holds WHERE check_id = ?').run(checkId);
}

export interface OpenCommitment {
  check_id: number;
  alternative: number | null;
}

export function openCommitments(db: Db): OpenCommitment[] {
  return db.prepare("SELECT check_id, alternative FROM commitments WHERE status = 'open' ORDER BY committed_at, check_id").all() as OpenCommitment[];
}

/**
 * The holds that were open just after event `upTo`, rebuilt from events alone:
 * what a check recorded with events_seen = upTo saw. Used by replay.
 */
export function holdsAsOf(db: Db, upTo: number): Hold[] {
  const events = db.prepare('SELECT e.check_id, e.kind, e.detail, c.promise, c.verdict, c.result FROM events e JOIN checks c ON c.id = e.check_id WHERE e.id <= ? ORDER BY e.id').all(upTo) as {
    check_id: number;
    kind: EventKind;
    detail: string;
    promise: string;
    verdict: CheckOutcome['verdict'];
    result: string;
  }[];
  const open = new Map<number, Hold[]>();
  for (const e of events) {
    if (e.kind === 'commit') {
      const outcome = parseOutcome(e.verdict, e.promise, e.result);
      const detail = JSON.parse(e.detail) as EventDetail;
      open.set(e.check_id, committedPart(outcome, detail.alternative ?? null).holds);
    } else {
      open.delete(e.check_id);
    }
  }
  return [...open.values()].flat();
}
