// What to offer instead when a service promise is not safe: the level really on
// offer in the region, another service that covers it, or where the service is
// offered. Each is re-evaluated and kept only if feasible.
import type { Alternative } from '../checkPromise.js';
import type { Model } from '../model.js';
import type { ServicePromise } from '../promise.js';
import { windowText } from '../time/openHours.js';
import { evaluateService, type ServiceEvaluation } from './evaluate.js';
import { regionIds, responseText, type ServiceTerms, serviceTerms } from './terms.js';

export function serviceAlternatives(model: Model, ev: ServiceEvaluation, now: Date): Alternative[] {
  const p = ev.promise;
  const offer = (terms: ServiceTerms, why: string): Alternative[] => {
    const promise: ServicePromise = {
      kind: 'service',
      service: terms.service.id,
      region: terms.region,
      // The fastest response that still keeps the policy's margin.
      response_hours: Math.ceil(terms.responseHours + model.caps.policy.response_margin_hours),
      hours: windowText(terms.clock.hours),
    };
    const checked = evaluateService(model, promise, now);
    if (checked.verdict !== 'feasible') return [];
    return [
      {
        kind: 'service_level',
        promise,
        plan: checked.plan!,
        holds: [],
        summary: `${terms.service.name ?? terms.service.id} in ${terms.region}: response ${responseText(promise.response_hours, promise.hours)}${why}.`,
      },
    ];
  };

  const service = model.caps.services.find((s) => s.id === p.service);
  const here = service ? serviceTerms(model, service, p.region) : null;
  if (here) return offer(here, '');

  // Not offered here (or unknown): other services that cover the region…
  const others = model.caps.services
    .map((s) => serviceTerms(model, s, p.region))
    .filter((t): t is ServiceTerms => t !== null)
    .flatMap((t) => offer(t, ` (instead of ${p.service})`));
  if (others.length > 0 || !service) return others;
  // …or else the same service where it is offered.
  const covered = regionIds(service);
  return offer(serviceTerms(model, service, covered[0]!)!, ` (offered in ${covered.join(', ')}, not in ${p.region})`);
}
