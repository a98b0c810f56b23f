// Writing and reading check rows. A check is recorded with everything needed to
// replay it: the normalized promise, `now`, the capabilities content (stored once
// per hash) and the last commitment event it saw.
import type { CheckOutcome } from '../core/check.js';
import { type OutcomeJson, parseOutcome, resultText } from './outcomeJson.js';
import { VERSION } from '../version.js';
import { appendChained } from './chain.js';
import type { Db } from './db.js';

export interface CheckToRecord {
  outcome: CheckOutcome;
  json: OutcomeJson;
  now: string;
  rep: string;
  customer: string | null;
}

export interface CapabilitiesSource {
  path: string;
  sha256: string;
  text: string;
}

/** Call inside a write transaction. Returns the new ids in order. */
export function insertChecks(db: Db, capabilities: CapabilitiesSource, checks: readonly CheckToRecord[]): number[] {
  // Look before inserting: binding a large file's text for every chunk of a batch costs more than the rows.
  if (!db.prepare('SELECT 1 FROM capabilities WHERE sha256 = ?').get(capabilities.sha256)) {
    db.prepare('INSERT INTO capabilities (sha256, content) VALUES (?, ?)').run(capabilities.sha256, capabilities.text);
  }
  const eventsSeen = (db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM events').get() as { n: number }).n;
  const recordedAt = new Date().toISOString();
  return appendChained(
    db,
    'checks',
    checks.map(({ outcome, json, now, rep, customer }) => {
      const p = outcome.promise;
      const delivery = p.kind === 'delivery';
      return {
        recorded_at: recordedAt,
        now,
        rep,
        customer,
        kind: p.kind,
        sku: delivery ? p.sku : null,
        region: delivery ? p.to : p.region,
        qty: delivery ? p.qty : null,
        by: delivery ? p.by : null,
        service: delivery ? null : p.service,
        promise: json.promise,
        verdict: outcome.verdict,
        result: resultText(json),
        capabilities_path: capabilities.path,
        capabilities_sha256: capabilities.sha256,
        tool_version: VERSION,
        events_seen: eventsSeen,
      };
    }),
  );
}

export interface CheckRow {
  id: number;
  recorded_at: string;
  now: string;
  rep: string;
  customer: string | null;
  kind: 'delivery' | 'service';
  sku: string | null;
  region: string | null;
  qty: number | null;
  by: string | null;
  service: string | null;
  promise: string;
  verdict: CheckOutcome['verdict'];
  result: string;
  capabilities_path: string;
  capabilities_sha256: string;
  tool_version: string;
  events_seen: number;
  /** From commitments: checked, open, released, met, missed. */
  status: string;
  alternative: number | null;
}

export const SELECT_CHECKS = `
  SELECT c.*, COALESCE(m.status, 'checked') AS status, m.alternative AS alternative
  FROM checks c LEFT JOIN commitments m ON m.check_id = c.id`;

export function getCheck(db: Db, id: number): CheckRow | undefined {
  return db.prepare(`${SELECT_CHECKS} WHERE c.id = ?`).get(id) as CheckRow | undefined;
}

export const outcomeOf = (row: CheckRow): CheckOutcome => parseOutcome(row.verdict, row.promise, row.result);
