// Calendar: order day by cut-off, ready, ship and delivery days against `by`.
import { siteOf } from '../../model.js';
import { isoDay, yearOf } from '../../time/days.js';
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const calendarRule: DeliveryRule = ({ model, promise, planning, byDay }) => {
  const best = planning.best;
  if (!best) return null;
  const src = best.source;
  const loc = model.locations.get(src.location)!.location;
  // A site on its own clock says which: its cut-off is its local time.
  const cutoff = loc.timezone === undefined ? loc.cutoff : `${loc.cutoff} ${loc.timezone}`;
  const steps =
    `order day ${isoDay(src.orderDay)} (${src.location} cut-off ${cutoff}), ships ${isoDay(best.shipDay)} ` +
    `by ${best.method}, arrives ${isoDay(best.deliveryDay)}`;
  const site = siteOf(model, src.location);
  if (best.deliveryDay <= byDay) {
    // A hand-typed holiday list knows nothing past its last year: a plan reaching beyond it may ship on a holiday.
    const reaches = yearOf(best.deliveryDay);
    if (site.holidaysUntil !== null && reaches > site.holidaysUntil) {
      return fail(
        'calendar',
        'at_risk',
        `${steps}: the holidays of ${reaches} are unknown (the hand-typed holidays${loc.calendar?.holidays ? ` of ${src.location}` : ''} end with ${site.holidaysUntil})`,
      );
    }
    return pass('calendar', steps);
  }
  const late = site.calendar.workdaysBetween(byDay, best.deliveryDay);
  return fail('calendar', 'infeasible', `${steps}: ${late} workday${late === 1 ? '' : 's'} after ${promise.by}`);
};
