// A service check (SEMANTICS.md "Service promise").

import type { Model } from '../model.js';
import type { ServicePromise } from '../promise.js';
import { isoInZone } from '../time/clock.js';
import { dueAt } from '../time/due.js';
import { ALWAYS, parseWindow, windowText } from '../time/openHours.js';
import { type Reason, type Verdict, verdictOf } from '../verdict.js';
import { SERVICE_RULES } from './rules/index.js';
import { serviceTerms } from './terms.js';

export interface ServicePlan {
  service: string;
  region: string;
  /** What the company offers there: business hours to respond, and opening hours. */
  response_hours: number;
  hours: string;
  timezone: string;
  /** When a request made now would be answered at the latest. */
  due_if_requested_now: string | null;
}

export interface ServiceEvaluation {
  verdict: Verdict;
  promise: ServicePromise;
  plan: ServicePlan | null;
  reasons: Reason[];
}

export function evaluateService(model: Model, promise: ServicePromise, now: Date): ServiceEvaluation {
  const service = model.caps.services.find((s) => s.id === promise.service);
  const terms = service ? serviceTerms(model, service, promise.region) : null;
  // The promise schema only admits windows parseWindow accepts.
  const window = parseWindow(promise.hours) ?? ALWAYS;
  const reasons: Reason[] = [];
  for (const rule of SERVICE_RULES) {
    const reason = rule({ model, promise, service, terms, window });
    if (reason) reasons.push(reason);
  }
  const verdict = verdictOf(reasons);
  let plan: ServicePlan | null = null;
  if (terms && verdict !== 'infeasible') {
    // The clock of the promise: its response counted in its own window (inside the service's hours).
    const due = dueAt(now, promise.response_hours, { ...terms.clock, hours: window });
    plan = {
      service: terms.service.id,
      region: promise.region,
      response_hours: terms.responseHours,
      hours: windowText(terms.clock.hours),
      timezone: terms.clock.zone,
      due_if_requested_now: due ? isoInZone(due, terms.clock.zone) : null,
    };
  }
  return { verdict, promise, plan, reasons };
}
