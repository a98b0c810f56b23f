import type { Service } from '../../../capabilities/capabilitiesSchema.js';
import type { Model } from '../../model.js';
import type { ServicePromise } from '../../promise.js';
import type { OpenHours } from '../../time/openHours.js';
import type { Reason } from '../../verdict.js';
import type { ServiceTerms } from '../terms.js';

export interface ServiceContext {
  model: Model;
  promise: ServicePromise;
  service: Service | undefined;
  /** null when the service does not cover the region. */
  terms: ServiceTerms | null;
  window: OpenHours;
}

export type ServiceRule = (ctx: ServiceContext) => Reason | null;
