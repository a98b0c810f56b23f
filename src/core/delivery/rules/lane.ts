// Some location that can supply the product must have a lane to the region
// (of the asked method, from the asked location). When the rep's own --from or
// --method is what rules a lane out, the reason says so.
import { didYouMean } from '../../closest.js';
import { knownRegions, lanesTo, regionsServed } from '../../model.js';
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const laneRule: DeliveryRule = ({ model, promise, planning }) => {
  if (!planning.product) return null;
  const { from, method, to } = promise;
  if (from !== undefined && !model.locations.has(from)) {
    return fail('lane', 'infeasible', `unknown location "${from}"${didYouMean(from, model.locations.keys())}`);
  }
  const supplying = [...new Set(planning.sources.map((s) => s.location))];
  if (supplying.length === 0) {
    return fail('lane', 'infeasible', `${promise.sku} is not stocked or made${from ? ` at ${from}` : ' anywhere'}`);
  }
  const locations = supplying.map((id) => model.locations.get(id)!.location);
  const reaching = locations.filter((loc) => lanesTo(loc, to, method).length > 0);
  if (reaching.length > 0) {
    const lanes = reaching.flatMap((loc) =>
      lanesTo(loc, to, method).map((l) => `${loc.id} by ${l.method} (${l.transit_days} workday${l.transit_days === 1 ? '' : 's'})`),
    );
    return pass('lane', `${to} is reached from ${lanes.join(', ')}`);
  }
  const at = from === undefined ? '' : ` from ${from}`;
  // Would the product reach the region from another of its locations (the rep pinned this one)?
  const elsewhere =
    from === undefined ? [] : allSupplying(planning.product).filter((id) => id !== from && lanesTo(model.locations.get(id)!.location, to, method).length > 0);
  const instead =
    elsewhere.length > 0 ? `; ${elsewhere.join(' and ')} ${elsewhere.length === 1 ? 'has' : 'have'} one (drop --from or use --from ${elsewhere[0]})` : '';
  if (method !== undefined && locations.some((loc) => lanesTo(loc, to).length > 0)) {
    const methods = [...new Set(locations.flatMap((loc) => lanesTo(loc, to).map((l) => l.method)))];
    return fail(
      'lane',
      'infeasible',
      `no ${method} lane${at} reaches ${to}${instead || `${didYouMean(method, methods)}; methods to ${to}: ${methods.join(', ')}`}`,
    );
  }
  if (instead) return fail('lane', 'infeasible', `no${method ? ` ${method}` : ''} lane${at} reaches ${to}${instead}`);
  const regions = regionsServed(locations);
  // Region codes are short: only a difference of case is worth a suggestion ("nsw" for NSW).
  const sameLetters = [...knownRegions(model.caps)].filter((r) => r !== to && r.toLowerCase() === to.toLowerCase());
  const known = sameLetters.length > 0 ? ` (did you mean ${sameLetters.join(' or ')}?)` : '';
  return fail('lane', 'infeasible', `no lane reaches ${to}${known} from ${supplying.join(', ')}; ${promise.sku} ships to ${regions.join(', ') || 'no region'}`);
};

/** Every location that stocks or builds the product, whatever the rep pinned. */
function allSupplying(product: NonNullable<Parameters<DeliveryRule>[0]['planning']['product']>): string[] {
  const ids = [...product.supply.keys()];
  const mto = product.product.make_to_order?.location;
  return mto && !ids.includes(mto) ? [...ids, mto] : ids;
}
