// `promise log copy`: every capabilities text, check and event of one log into
// another, in their original order, re-chained where they land (new hashes, and
// with --append new ids after the rows already there). The target's database
// derives commitments and holds from the copied events, as this one did;
// deliveries against their plans come along (calibrate's history).
//
// Read and written a page at a time, so memory stays flat at any size: a source
// that verifies has gapless ids from 1, so a row's new id is the target's head
// plus its old id, and no map of ids is kept.
import { committedPart } from '../core/checkPromise.js';
import type { Hold } from '../core/commitments/ledger.js';
import { usageError } from '../errors.js';
import { type DerivedCommitment, deriveCommitments, type EventRow } from './derive.js';
import type { CheckRow, DeliveredRow, Log } from './log.js';
import { parseOutcome } from './outcomeJson.js';

const PAGE = 5000;

export interface CopyResult {
  checks: number;
  events: number;
  /** Added to every copied check's id (0 unless --append). */
  checkOffset: number;
  /** Open commitments brought that no longer fit beside the target's: they arrive holding nothing. */
  broken: { id: number; reason: string }[];
}

/**
 * --append (TEAM.md): each open commitment brought is re-checked against the
 * target's stock, in commit order, beside everything the target already holds
 * and the ones brought before it. Given the target's holds read under the
 * commit lock, says whether `holds` still fit (null) or why not.
 */
export interface AppendCheck {
  today: string;
  fits(held: readonly Hold[], holds: readonly Hold[], promise: ReturnType<typeof parseOutcome>['promise']): string | null;
}

export async function copyLog(source: Log, target: Log, append: AppendCheck | null): Promise<CopyResult> {
  const capabilities = await source.allKeptCapabilities();
  return target.write(async (tx) => {
    const there = await tx.countChecks();
    // No commit lands between the holds it re-checks against and the ones it brings.
    if (append) await tx.lockForCommit('all');
    if (there > 0 && !append) throw usageError(`${target.name} already holds ${there} check(s): copy with --append to add these after them`);
    for (const c of capabilities) await tx.storeCapabilities(c);
    const heads = await tx.heads();
    // What the target held before any of these arrive: each brought commitment is re-checked beside it.
    const held: Hold[] = append ? (await tx.openHolds(append.today)).holds : [];
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
    const promises = new Map<number, Pick<CheckRow, 'verdict' | 'promise' | 'result'>>();
    for await (const page of source.pages('events', PAGE)) {
      await tx.appendRows(
        'events',
        page.map((e) => ({ ...e, check_id: checkOffset + Number(e.check_id) })),
      );
      const commits = page.filter((e) => e.kind === 'commit');
      const results = await source.checkResults(commits.map((e) => Number(e.check_id)));
      if (append) for (const [id, r] of results) promises.set(id, r);
      deriveCommitments(page as unknown as EventRow[], (id) => results.get(id)!, derived);
      events += page.length;
    }
    const broken: CopyResult['broken'] = [];
    // Commit order: the map keeps the order of the commit events.
    for (const [oldId, commitment] of derived) {
      const id = checkOffset + oldId;
      const live =
        commitment.holds.length > 0 &&
        (commitment.status === 'open' || (commitment.status === 'held' && commitment.hold_until !== null && commitment.hold_until >= (append?.today ?? '')));
      const r = live ? promises.get(oldId) : undefined;
      const outcome = r && parseOutcome(r.verdict, r.promise, r.result);
      const reason = append && outcome ? append.fits(held, commitment.holds, outcome.promise) : null;
      if (reason === null) {
        held.push(...commitment.holds);
        continue;
      }
      // It arrives broken, holding nothing, as a chained event says; recheck offers what is possible now.
      const { alternative } = committedPart(outcome!, commitment.alternative);
      const parts = alternative
        ? [{ promise: alternative.promise, plan: alternative.plan }, ...(alternative.then ? [alternative.then] : [])]
        : [{ promise: outcome!.promise, plan: outcome!.plan }];
      await tx.replan(id, [], parts, 'log copy');
      broken.push({ id, reason });
    }
    for await (const page of source.pages('delivered', PAGE)) {
      for (const d of page as unknown as DeliveredRow[]) await tx.recordDelivered({ ...d, check_id: checkOffset + Number(d.check_id) });
    }
    return { checks, events, checkOffset, broken };
  });
}
