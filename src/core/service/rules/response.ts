// Response: the promised response may not be faster than the capability, and a
// promise without the policy's margin is at risk. Both count open hours only; with
// the window inside the service's hours, the promised clock never runs faster.
import { windowText } from '../../time/openHours.js';
import { fail, pass } from '../../verdict.js';
import { responseWithin } from '../terms.js';
import type { ServiceRule } from './context.js';

export const responseRule: ServiceRule = ({ model, promise, terms }) => {
  if (!terms) return null;
  const offered = terms.responseHours;
  const promised = promise.response_hours;
  const margin = model.caps.policy.response_margin_hours;
  const id = terms.service.id;
  if (promised < offered) {
    return fail(
      'response',
      'infeasible',
      `promised ${promised} h response, but ${id} responds ${responseWithin(offered, windowText(terms.clock.hours))} in ${promise.region}`,
    );
  }
  const slack = promised - offered;
  const text = `promised ${promised} h against ${offered} h offered: ${slack} h margin (policy asks for ${margin})`;
  return slack >= margin ? pass('response', text) : fail('response', 'at_risk', text);
};
