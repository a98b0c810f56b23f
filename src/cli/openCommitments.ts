// Open commitments as the core re-plans them, read from the log (COMMITMENTS.md).
import type { Plan } from '../core/checkPromise.js';
import type { Hold, Ledger } from '../core/commitments/ledger.js';
import { type OpenCommitment, type Replanned, replanAll, withoutHolds } from '../core/commitments/replan.js';
import type { Model } from '../core/model.js';
import type { SalesPromise } from '../core/promise.js';
import type { LiveCommitment, Log, LogWriter } from '../log/log.js';
import { parseOutcome } from '../log/outcomeJson.js';
import { ledgerOver } from './commitments.js';

export function openCommitmentOf({ row, holds, parts }: LiveCommitment): OpenCommitment {
  return {
    id: row.id,
    outcome: parseOutcome(row.verdict, row.promise, row.result),
    alternative: row.alternative,
    firm: row.status === 'open',
    checkedAt: new Date(row.now),
    // As the commit recorded them: no null fields (they would read as changes).
    holds: holds.map(({ protected: p, until, ...h }) => ({
      ...h,
      ...(p ? { protected: p } : {}),
      ...(until !== undefined && until !== null ? { until } : {}),
    })),
    parts: parts === null ? null : (JSON.parse(parts) as { promise: SalesPromise; plan: Plan | null }[]),
  };
}

/** What a check made just after event `upTo` saw (replay): the same path from the events alone. */
export async function ledgerAsOf(log: Log, model: Model, upTo: number, today: string, now: Date, sku?: string): Promise<Ledger> {
  const all = await log.holdsAsOf(upTo, today);
  const holds = sku === undefined ? all : all.filter((h) => h.sku === sku);
  return ledgerOver(model, holds, now, async (over) => {
    const live = await log.liveCommitmentsAsOf(upTo, today);
    return live.filter((l) => l.holds.some((h) => over.includes(h.sku)));
  });
}

/**
 * Inside a write: one commitment planned again now (confirm, commit of an
 * alternative), after everything else open. `counted`: its holds the log
 * counts now (none for an expired quote).
 */
export async function replanNow(tx: LogWriter, model: Model, today: string, now: Date, mine: OpenCommitment, counted: readonly Hold[]): Promise<Replanned> {
  const skus = [...new Set(mine.holds.map((h) => h.sku))];
  await tx.lockForCommit(skus);
  const held = withoutHolds((await tx.openHolds(today, skus)).holds, counted);
  const ledger = await ledgerOver(model, held, now, async (over) => (await tx.liveCommitments(today, over)).filter((l) => l.row.id !== mine.id));
  return replanAll(model, [mine], now, ledger).results[0]!;
}
