// What a service really offers in one region: its response time, opening hours,
// time zone and closed days, with the region's own terms applied.
import type { Service } from '../../capabilities/capabilitiesSchema.js';
import type { Model } from '../model.js';
import { type Day, parseIsoDay } from '../time/days.js';
import type { ServiceClock } from '../time/due.js';
import { fromCapability } from '../time/openHours.js';

export interface ServiceTerms {
  service: Service;
  region: string;
  responseHours: number;
  clock: ServiceClock;
}

/** "within 8 business hours", or "within 4 hours" where the clock never stops (24x7). */
export const responseWithin = (hours: number, window: string): string => `within ${hours} ${window === '24x7' ? '' : 'business '}hour${hours === 1 ? '' : 's'}`;

/** "within 8 business hours, mon-fri 08:00-18:00" or "within 4 hours, around the clock". */
export const responseText = (hours: number, window: string): string => `${responseWithin(hours, window)}, ${window === '24x7' ? 'around the clock' : window}`;

export const regionIds = (service: Service): string[] => service.regions.map((r) => (typeof r === 'string' ? r : r.id));

/** null when the service does not cover the region. */
export function serviceTerms(model: Model, service: Service, region: string): ServiceTerms | null {
  const entry = service.regions.find((r) => (typeof r === 'string' ? r : r.id) === region);
  if (entry === undefined) return null;
  const own: { response_hours?: number; timezone?: string; holidays?: string[] } = typeof entry === 'string' ? {} : entry;
  const hours = fromCapability(service.hours);
  // A 24x7 service is open on holidays; a service with office hours keeps the
  // company's holidays plus its own and the region's.
  const closed = new Set<Day>();
  if (!hours.always) {
    for (const h of [...model.caps.calendar.holidays, ...(service.holidays ?? []), ...(own.holidays ?? [])]) {
      const day = parseIsoDay(h);
      if (day !== null) closed.add(day);
    }
  }
  return {
    service,
    region,
    responseHours: own.response_hours ?? service.response_hours,
    clock: { hours, zone: own.timezone ?? service.timezone ?? model.caps.timezone, closed },
  };
}
