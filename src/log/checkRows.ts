// A check as a row of the `checks` table, the same for every log implementation:
// the queryable columns beside the normalized promise and the result as text.
import { VERSION } from '../version.js';
import type { CapabilitiesSource, CheckToRecord, KeptCapabilities } from './log.js';
import { resultText } from './outcomeJson.js';

/** A `capabilities` row as stored. */
export interface CapabilitiesRow {
  sha256: string;
  content: string;
  feeds: string | null;
}

/** The `capabilities.feeds` column: which feeds, by hash (NULL when none). */
export const feedsColumn = (kept: KeptCapabilities): string | null =>
  kept.feeds.length === 0 ? null : JSON.stringify(kept.feeds.map(({ kind, path, sha256 }) => ({ kind, path, sha256 })));

/** A `capabilities` row read back, with its feeds' contents. */
export function keptOf(row: CapabilitiesRow, contents: ReadonlyMap<string, string>): KeptCapabilities {
  const feeds = row.feeds === null ? [] : (JSON.parse(row.feeds) as { kind: string; path: string; sha256: string }[]);
  return { sha256: row.sha256, content: row.content, feeds: feeds.map((f) => ({ ...f, content: () => contents.get(f.sha256) ?? '' })) };
}

/** The feed hashes capabilities rows name. */
export const feedHashes = (rows: readonly CapabilitiesRow[]): string[] => [
  ...new Set(rows.flatMap((r) => (r.feeds === null ? [] : (JSON.parse(r.feeds) as { sha256: string }[]).map((f) => f.sha256)))),
];

/** The rows to append (ids and hashes come from the chain). */
export function checkRows(capabilities: CapabilitiesSource, checks: readonly CheckToRecord[]): Record<string, unknown>[] {
  const recordedAt = new Date().toISOString();
  return checks.map(({ outcome, json, now, rep, customer, eventsSeen }) => {
    const p = outcome.promise;
    const delivery = p.kind === 'delivery';
    // An order keeps its lines in `promise`; its first line's sku and the total quantity are what filters see.
    const order = p.kind === 'order';
    return {
      recorded_at: recordedAt,
      now,
      rep,
      customer,
      kind: p.kind,
      sku: delivery ? p.sku : order ? p.lines[0]!.sku : null,
      region: p.kind === 'service' ? p.region : p.to,
      qty: delivery ? p.qty : order ? p.lines.reduce((n, l) => n + l.qty, 0) : null,
      by: p.kind === 'service' ? null : p.by,
      service: p.kind === 'service' ? p.service : null,
      promise: json.promise,
      verdict: outcome.verdict,
      result: resultText(json),
      capabilities_path: capabilities.path,
      capabilities_sha256: capabilities.sha256,
      tool_version: VERSION,
      events_seen: eventsSeen,
    };
  });
}
