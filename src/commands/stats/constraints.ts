// stats --constraints (LEARN.md "Where to invest"): every lost check (infeasible,
// never committed) and every broken commitment, the constraint that decided it
// and how much more would have won it, summed per constraint and month. A lost
// check is checked again, as replay does, on its recorded capabilities and the
// commitments open when it was made, with more of each lever (core/learn/constraints.ts).
import { capabilitiesAsRecorded } from '../../cli/session.js';
import type { CheckOutcome } from '../../core/checkPromise.js';
import { committedPart } from '../../core/checkPromise.js';
import { Ledger } from '../../core/commitments/ledger.js';
import type { DeliveryPlan } from '../../core/delivery/evaluate.js';
import { brokenConstraint, type Constraint, type ConstraintSum, decidingConstraint, sumConstraints } from '../../core/learn/constraints.js';
import { compile, type Model } from '../../core/model.js';
import type { DeliveryPromise, SalesPromise } from '../../core/promise.js';
import type { CheckRow, Log } from '../../log/log.js';
import { parseOutcome } from '../../log/outcomeJson.js';

export interface Decided {
  id: number;
  case: 'lost' | 'broken';
  period: string;
  units: number;
  constraint: Constraint | null;
}

export async function decidedCases(log: Log, since: string | undefined, today: string): Promise<Decided[]> {
  const all = { since, limit: Number.MAX_SAFE_INTEGER, today };
  const lost = await log.listChecks({ ...all, verdict: 'infeasible', status: 'checked' });
  const broken = await log.listChecks({ ...all, status: 'missed' });
  const models = new Map<string, Model>();
  const ledgers = new Map<string, Ledger>();
  const out: Decided[] = [];
  for (const row of lost.reverse()) {
    const promise = JSON.parse(row.promise) as SalesPromise;
    if (promise.kind !== 'delivery') continue;
    const model = await modelOf(log, row, models);
    const day = row.now.slice(0, 10);
    const key = `${row.events_seen} ${day}`;
    let ledger = ledgers.get(key);
    if (!ledger) {
      ledger = Ledger.of(await log.holdsAsOf(row.events_seen, day));
      ledgers.set(key, ledger);
    }
    const constraint = decidingConstraint(model, promise, ledger, new Date(row.now));
    out.push({ id: row.id, case: 'lost', period: row.now.slice(0, 7), units: promise.qty, constraint });
  }
  for (const row of broken.reverse()) {
    const outcome: CheckOutcome = parseOutcome(row.verdict, row.promise, row.result);
    const part = committedPart(outcome, row.alternative);
    const promise = (part.alternative?.promise ?? outcome.promise) as SalesPromise;
    const plan = (part.alternative?.plan ?? outcome.plan) as DeliveryPlan | null;
    if (promise.kind !== 'delivery' || !plan || !('delivery_date' in plan)) continue;
    const constraint = brokenConstraint({ sku: promise.sku, to: promise.to, plan }, row.late_workdays ?? 0);
    out.push({ id: row.id, case: 'broken', period: row.now.slice(0, 7), units: (promise as DeliveryPromise).qty, constraint });
  }
  return out;
}

async function modelOf(log: Log, row: CheckRow, models: Map<string, Model>): Promise<Model> {
  let model = models.get(row.capabilities_sha256);
  if (!model) {
    const loaded = await capabilitiesAsRecorded(log, row);
    model = compile(loaded.caps, loaded.catalogue);
    models.set(row.capabilities_sha256, model);
  }
  return model;
}

export const summed = (cases: readonly Decided[]): ConstraintSum[] =>
  sumConstraints(cases.flatMap((c) => (c.constraint ? [{ constraint: c.constraint, period: c.period, units: c.units }] : [])));

/** "+40 units/week of capacity at reno would have won 12 orders of GADGET (1,340 units) in 2026-11". */
export function sentence(s: ConstraintSum): string {
  const orders = `${s.cases} ${s.cases === 1 ? 'order' : 'orders'} of ${s.sku} (${s.units.toLocaleString('en-US')} units) in ${s.period}`;
  const days = (n: number) => `${n} workday${n === 1 ? '' : 's'}`;
  switch (s.kind) {
    case 'stock':
      return `+${s.more} units of stock at ${s.at} would have won ${orders}`;
    case 'capacity':
      return `+${s.more} units/week of capacity at ${s.at} would have won ${orders}`;
    case 'handling':
      return `handling at ${s.at} ${days(s.more)} faster would have won ${orders}`;
    case 'lane': {
      const [from, method, region] = s.at.split(' ');
      return `the ${method} lane from ${from} to ${region} ${days(s.more)} faster would have won or kept ${orders}`;
    }
    case 'lead_time':
      return `the ${s.at.split(' ')[1]?.replace(/_/g, ' ')} lead time at ${s.at.split(' ')[0]} ${days(s.more)} shorter would have kept ${orders}`;
    default:
      return `a lane to ${s.at} would have won ${orders}`;
  }
}
