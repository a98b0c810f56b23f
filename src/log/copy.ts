// `promise log copy`: every capabilities text, check and event of one log into
// another, in their original order, re-chained where they land (new hashes, and
// with --append new ids after the rows already there). Commitments and holds are
// rebuilt there from the copied events, as they were built here; deliveries
// against their plans come along (calibrate's history).
//
// Read and written a page at a time, so memory stays flat at any size: a source
// that verifies has gapless ids from 1, so a row's new id is the target's head
// plus its old id, and no map of ids is kept.
import { usageError } from '../errors.js';
import { type DerivedCommitment, deriveCommitments, type EventRow } from './derive.js';
import type { DeliveredRow, Log } from './log.js';

const PAGE = 5000;

export interface CopyResult {
  checks: number;
  events: number;
  /** Added to every copied check's id (0 unless --append). */
  checkOffset: number;
}

export async function copyLog(source: Log, target: Log, append: boolean): Promise<CopyResult> {
  const capabilities = await source.allKeptCapabilities();
  return target.write(async (tx) => {
    const there = await tx.countChecks();
    if (there > 0 && !append) throw usageError(`${target.name} already holds ${there} check(s): copy with --append to add these after them`);
    for (const c of capabilities) await tx.storeCapabilities(c);
    const heads = await tx.heads();
    const [checkOffset, eventOffset] = [heads.checks.lastId, heads.events.lastId];
    let checks = 0;
    for await (const page of source.pages('checks', PAGE)) {
      // events_seen points at the events a check had seen: the same events, renumbered.
      await tx.appendRows(
        'checks',
        page.map((c) => ({ ...c, events_seen: eventOffset + Number(c.events_seen) })),
      );
      checks += page.length;
    }
    let events = 0;
    const derived = new Map<number, DerivedCommitment>();
    const committedAt = new Map<number, string>();
    for await (const page of source.pages('events', PAGE)) {
      await tx.appendRows(
        'events',
        page.map((e) => ({ ...e, check_id: checkOffset + Number(e.check_id) })),
      );
      const commits = page.filter((e) => e.kind === 'commit');
      for (const e of commits) committedAt.set(Number(e.check_id), String(e.at));
      const results = await source.checkResults(commits.map((e) => Number(e.check_id)));
      deriveCommitments(page as unknown as EventRow[], (id) => results.get(id)!, derived);
      events += page.length;
    }
    for (const [oldId, commitment] of derived) await tx.restoreCommitment(checkOffset + oldId, commitment, committedAt.get(oldId)!);
    for await (const page of source.pages('delivered', PAGE)) {
      for (const d of page as unknown as DeliveredRow[]) await tx.recordDelivered({ ...d, check_id: checkOffset + Number(d.check_id) });
    }
    return { checks, events, checkOffset };
  });
}
