// `promise log copy`: every capabilities text, check and event of one log into
// another, in their original order, re-chained where they land (new hashes, and
// with --append new ids after the rows already there). Commitments and holds are
// rebuilt there from the copied events, as they were built here.
import { usageError } from '../errors.js';
import { deriveCommitments, type EventRow } from './derive.js';
import type { CheckRow, Log } from './log.js';

export interface CopyResult {
  checks: number;
  events: number;
  /** Old check id → new check id (the same ids unless --append). */
  ids: Map<number, number>;
}

export async function copyLog(source: Log, target: Log, append: boolean): Promise<CopyResult> {
  const dump = await source.dump();
  return target.write(async (tx) => {
    const there = await tx.countChecks();
    if (there > 0 && !append) throw usageError(`${target.name} already holds ${there} check(s): copy with --append to add these after them`);
    for (const c of dump.capabilities) await tx.storeCapabilities(c);
    // events_seen points at the events a check had seen: the same events, renumbered.
    const baseEvent = await tx.lastEventId();
    const eventIds = new Map<number, number>([[0, baseEvent]]);
    for (const [i, e] of dump.events.entries()) eventIds.set(Number(e.id), baseEvent + i + 1);
    const newCheckIds = await tx.appendRows(
      'checks',
      dump.checks.map((c) => ({ ...c, events_seen: eventIds.get(Number(c.events_seen)) ?? baseEvent })),
    );
    const ids = new Map(dump.checks.map((c, i) => [Number(c.id), newCheckIds[i]!]));
    await tx.appendRows(
      'events',
      dump.events.map((e) => ({ ...e, check_id: ids.get(Number(e.check_id)) })),
    );
    const byId = new Map(dump.checks.map((c) => [Number(c.id), c as unknown as CheckRow]));
    const derived = deriveCommitments(dump.events as unknown as EventRow[], (id) => byId.get(id)!);
    const committedAt = new Map<number, string>();
    for (const e of dump.events) if (e.kind === 'commit') committedAt.set(Number(e.check_id), String(e.at));
    for (const [oldId, commitment] of derived) await tx.restoreCommitment(ids.get(oldId)!, commitment, committedAt.get(oldId)!);
    return { checks: dump.checks.length, events: dump.events.length, ids };
  });
}
