// A server's check: the CLI's check (SEMANTICS, LEARN.md) with what a server
// shares between requests. The steps are checkOne's (src/commands/check), plus
// the log's delivery history (withHistory: the CLI's check applies it, so the
// server's must), taken at the events position the check's holds were read at,
// which is what replay rebuilds. Shared between requests, never between
// positions: the holds of concurrent checks are read in one statement, and the
// history is read once per events position.

import { ledgerOver } from '../cli/commitments.js';
import type { CheckJson } from '../cli/render.js';
import type { Session } from '../cli/session.js';
import { capabilitiesSource } from '../cli/session.js';
import { check } from '../core/checkPromise.js';
import type { Model } from '../core/model.js';
import type { SalesPromise } from '../core/promise.js';
import type { HoldsSnapshot, Log, LogReader } from '../log/log.js';
import { checkJsonLine, outcomeJson } from '../log/outcomeJson.js';
import type { GroupedRecorder } from './writes.js';

interface Asking {
  sku: string;
  resolve: (s: HoldsSnapshot) => void;
  reject: (e: unknown) => void;
}

/**
 * The distinct skus, repeated up to a power of two. The statement's text has one
 * parameter per sku and the log prepares (and keeps) one statement per text: a
 * list of any length would keep one per number of skus ever asked together, up to
 * the most requests ever in flight, each as long as its list. Powers of two keep
 * a handful (1, 2, 4, … 64 for 50 clients); `IN (a, b, b, b)` reads the same rows.
 */
export function paddedSkus(skus: readonly string[]): string[] {
  const distinct = [...new Set(skus)];
  if (distinct.length === 0) return distinct;
  let size = 1;
  while (size < distinct.length) size *= 2;
  return distinct.concat(Array<string>(size - distinct.length).fill(distinct.at(-1)!));
}

/**
 * openHolds(today, [sku]) for many requests at once: the skus asked for in one
 * turn of the event loop are read in one statement (one snapshot, one position),
 * and each request gets the rows of its sku: exactly what its own openHolds
 * would have read at that snapshot (the rows are grouped per sku).
 */
export function sharedHolds(log: LogReader): (today: string, sku: string) => Promise<HoldsSnapshot> {
  let asking = new Map<string, Asking[]>();
  let scheduled = false;
  const read = async (today: string, group: Asking[]): Promise<void> => {
    try {
      const { holds, seen } = await log.openHolds(today, paddedSkus(group.map((a) => a.sku)));
      for (const a of group) a.resolve({ seen, holds: holds.filter((h) => h.sku === a.sku) });
    } catch (e) {
      for (const a of group) a.reject(e);
    }
  };
  return (today, sku) =>
    new Promise<HoldsSnapshot>((resolve, reject) => {
      const group = asking.get(today) ?? [];
      group.push({ sku, resolve, reject });
      asking.set(today, group);
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        const all = asking;
        asking = new Map();
        scheduled = false;
        for (const [day, group] of all) void read(day, group);
      });
    });
}

/**
 * The model with the log's delivery history as it stood at events position
 * `seen` (LEARN.md "Evidence on every check"). The histogram table is read
 * between two reads of the position: when both are `seen`, no event (and so no
 * outcome) was committed meanwhile and the table is the history at `seen`;
 * otherwise the history is counted up to `seen` from the deliveries, as replay does.
 */
export function historyAt(log: Log): (model: Model, seen: number) => Promise<Model> {
  let last: { base: Model; seen: number; model: Promise<Model> } | null = null;
  const build = async (base: Model, seen: number): Promise<Model> => {
    const before = await log.lastEventId();
    let rows = await log.lateness();
    const after = await log.lastEventId();
    if (before !== seen || after !== seen) rows = await log.lateness(undefined, seen);
    if (rows.length === 0) return base;
    const [{ historyOf }, { historyView }] = await Promise.all([import('../core/learn/stats.js'), import('../core/learn/evidence.js')]);
    return { ...base, history: historyView(historyOf(rows)) };
  };
  return (base, seen) => {
    if (last?.base !== base || last.seen !== seen) {
      const model = build(base, seen);
      last = { base, seen, model };
      // A failed read is not kept: the next check reads again.
      model.catch(() => {
        if (last?.model === model) last = null;
      });
    }
    return last.model;
  };
}

export interface Checker {
  holds: ReturnType<typeof sharedHolds>;
  history: ReturnType<typeof historyAt>;
  recorder: GroupedRecorder;
}

export function checker(log: Log, recorder: GroupedRecorder): Checker {
  return { holds: sharedHolds(log), history: historyAt(log), recorder };
}

/** One promise checked in `s` and recorded, as `promise check --json` answers it (the line, unparsed). */
export async function checkServed(c: Checker, s: Session, promise: SalesPromise, rep: string, customer: string | null): Promise<{ line: string; id: number }> {
  const log = s.log!;
  // The group being gathered waits for this check until it is queued.
  const queued = c.recorder.started();
  try {
    // One sku: only its commitments; an order or a service: all of them (as ledgerOf).
    const { holds, seen } = promise.kind === 'delivery' ? await c.holds(s.today, promise.sku) : await log.openHolds(s.today);
    const ledger = await ledgerOver(s.model, holds, s.now, (over) => log.liveCommitments(s.today, over));
    const model = await c.history(s.model, seen);
    const outcome = check(model, promise, ledger, s.now);
    const json = outcomeJson(outcome);
    const recorded = c.recorder.record(capabilitiesSource(s.loaded), { outcome, json, now: s.nowText, rep, customer, eventsSeen: seen });
    queued();
    const id = await recorded;
    return { line: checkJsonLine(json, id, s.nowText, s.loaded.sha256), id };
  } finally {
    queued();
  }
}

export type { CheckJson };
