// Calendar: order day by cut-off, ready, ship and delivery days against `by`.
import { isoDay } from '../../time/days.js';
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const calendarRule: DeliveryRule = ({ model, promise, planning, byDay }) => {
  const best = planning.best;
  if (!best) return null;
  const src = best.source;
  const cutoff = model.locations.get(src.location)!.location.cutoff;
  const steps =
    `order day ${isoDay(src.orderDay)} (${src.location} cut-off ${cutoff}), ships ${isoDay(best.shipDay)} ` +
    `by ${best.method}, arrives ${isoDay(best.deliveryDay)}`;
  if (best.deliveryDay <= byDay) return pass('calendar', steps);
  const late = model.calendar.workdaysBetween(byDay, best.deliveryDay);
  return fail('calendar', 'infeasible', `${steps}: ${late} workday${late === 1 ? '' : 's'} after ${promise.by}`);
};
