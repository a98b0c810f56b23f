import type { Model } from '../../model.js';
import type { DeliveryPromise } from '../../promise.js';
import type { Day } from '../../time/days.js';
import type { Reason } from '../../verdict.js';
import type { Planning } from '../plan.js';

/** Everything a delivery rule may look at; rules compute nothing the planner did. */
export interface DeliveryContext {
  model: Model;
  promise: DeliveryPromise;
  planning: Planning;
  byDay: Day;
  now: Date;
}

/** A rule returns its reason, or null where it has nothing to say (e.g. no make to order). */
export type DeliveryRule = (ctx: DeliveryContext) => Reason | null;
