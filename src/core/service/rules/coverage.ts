// Coverage: the service exists and is offered in the region.
import { didYouMean } from '../../closest.js';
import { fail, pass } from '../../verdict.js';
import { regionIds } from '../terms.js';
import type { ServiceRule } from './context.js';

export const coverageRule: ServiceRule = ({ model, promise, service, terms }) => {
  if (!service) {
    const ids = model.caps.services.map((s) => s.id);
    return fail('coverage', 'infeasible', `unknown service "${promise.service}"${didYouMean(promise.service, ids)}`);
  }
  if (!terms) {
    return fail('coverage', 'infeasible', `${service.id} is not offered in ${promise.region}; it covers ${regionIds(service).join(', ')}`);
  }
  return pass('coverage', `${service.id} covers ${promise.region}`);
};
