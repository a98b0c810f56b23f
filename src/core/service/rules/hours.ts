// Hours: the promised window must lie inside the service's opening hours.
import { windowText, within } from '../../time/openHours.js';
import { fail, pass } from '../../verdict.js';
import type { ServiceRule } from './context.js';

export const hoursRule: ServiceRule = ({ promise, terms, window }) => {
  if (!terms) return null;
  const offered = windowText(terms.clock.hours);
  const asked = windowText(window);
  if (within(window, terms.clock.hours)) {
    return pass('hours', `promised hours ${asked} are inside ${terms.service.id}'s hours ${offered} (${terms.clock.zone})`);
  }
  return fail('hours', 'infeasible', `promised hours ${asked} are not inside ${terms.service.id}'s hours ${offered} in ${promise.region}`);
};
