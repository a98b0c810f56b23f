// Some location that can supply the product must have a lane to the region
// (of the asked method, from the asked location). When the rep's own --from or
// --method is what rules a lane out, the reason says so.
import type { Lane, Location } from '../../../capabilities/capabilitiesSchema.js';
import { didYouMean } from '../../closest.js';
import { knownRegions, lanesTo, type Model, regionsServed } from '../../model.js';
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
  const reaching: string[] = [];
  for (const loc of locations) {
    const lanes = lanesTo(loc, to, method);
    if (lanes.length > 0) reaching.push(lanesText(loc, lanes));
  }
  if (reaching.length > 0) return pass('lane', `${to} is reached from ${reaching.join(', ')}`);
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
  // Region codes are short: only a difference of case is worth a suggestion ("nsw" for NSW).
  const lower = to.toLowerCase();
  const sameLetters: string[] = [];
  for (const r of knownRegions(model.caps)) if (r !== to && r.toLowerCase() === lower) sameLetters.push(r);
  const known = sameLetters.length > 0 ? ` (did you mean ${sameLetters.join(' or ')}?)` : '';
  return fail('lane', 'infeasible', `no lane reaches ${to}${known} from ${supplying.join(', ')}; ${promise.sku} ships to ${regionsText(model, locations)}`);
};

/**
 * The regions some locations reach, as the reason lists them, per set of
 * locations: a line no lane serves is evaluated again for each alternative tried,
 * and the same few sets of locations come back line after line. Bounded.
 */
const shipsTo = new WeakMap<Model, Map<string, string>>();
const SETS_KEPT = 4096;

function regionsText(model: Model, locations: readonly Location[]): string {
  let known = shipsTo.get(model);
  if (!known) {
    known = new Map();
    shipsTo.set(model, known);
  }
  // Length-prefixed ids: no two lists spell the same key.
  const key = locations.map((l) => `${l.id.length}:${l.id}`).join('');
  let text = known.get(key);
  if (text === undefined) {
    text = regionsServed(locations).join(', ') || 'no region';
    if (known.size < SETS_KEPT) known.set(key, text);
  }
  return text;
}

/** Each location's lanes as the reason names them, per list lanesTo found (kept there): the same for every line of a batch. */
const named = new WeakMap<readonly Lane[], string>();

function lanesText(loc: Location, lanes: readonly Lane[]): string {
  let text = named.get(lanes);
  if (text === undefined) {
    text = lanes.map((l) => `${loc.id} by ${l.method} (${l.transit_days} workday${l.transit_days === 1 ? '' : 's'})`).join(', ');
    named.set(lanes, text);
  }
  return text;
}

/** Every location that stocks or builds the product, whatever the rep pinned. */
function allSupplying(product: NonNullable<Parameters<DeliveryRule>[0]['planning']['product']>): string[] {
  const ids = [...product.supply.keys()];
  const mto = product.product.make_to_order?.location;
  return mto && !ids.includes(mto) ? [...ids, mto] : ids;
}
