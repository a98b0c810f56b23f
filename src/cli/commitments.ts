// What a check must respect (COMMITMENTS.md): the holds as they are, or, when a
// location holds more than it has, the commitments of that sku re-planned first.
// Only the cheap test is loaded with every check; the re-plan path when taken.
import { type Hold, Ledger, overdrawnSkus } from '../core/commitments/ledger.js';
import type { Model } from '../core/model.js';
import type { LiveCommitment, LogReader } from '../log/log.js';

/**
 * The commitments a check of `skus` (or of everything) must respect, and the last
 * event they include: the holds as they are, unless a location holds more than
 * it has; then the commitments holding that sku are re-planned first (the re-plan path).
 */
export async function effectiveLedger(
  log: LogReader,
  model: Model,
  today: string,
  now: Date,
  skus?: readonly string[],
): Promise<{ ledger: Ledger; seen: number }> {
  const { holds, seen } = await log.openHolds(today, skus);
  return { ledger: await ledgerOver(model, holds, now, (over) => log.liveCommitments(today, over)), seen };
}

export async function ledgerOver(model: Model, holds: Hold[], now: Date, holding: (skus: string[]) => Promise<LiveCommitment[]>): Promise<Ledger> {
  const over = overdrawnSkus(model, holds);
  if (over.size === 0) return Ledger.of(holds);
  // The re-plan path, loaded only when taken: a check that needs none stays small.
  const [{ ledgerFor }, { openCommitmentOf }] = await Promise.all([import('../core/commitments/replan.js'), import('./openCommitments.js')]);
  const affected = (await holding([...over])).map(openCommitmentOf);
  return ledgerFor(model, holds, affected, now);
}
