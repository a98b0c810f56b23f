// Some location that can supply the product must have a lane to the region
// (of the asked method, from the asked location).
import { didYouMean } from '../../closest.js';
import { lanesTo, regionsServed } from '../../model.js';
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
  const regions = regionsServed(locations);
  if (method !== undefined && locations.some((loc) => lanesTo(loc, to).length > 0)) {
    const methods = [...new Set(locations.flatMap((loc) => lanesTo(loc, to).map((l) => l.method)))];
    return fail('lane', 'infeasible', `no ${method} lane reaches ${to}${didYouMean(method, methods)}; methods to ${to}: ${methods.join(', ')}`);
  }
  return fail(
    'lane',
    'infeasible',
    `no lane reaches ${to} from ${supplying.join(', ')}; ${promise.sku} ships to ${regions.join(', ') || 'no region'}`,
  );
};
