// Capabilities compiled once into lookup structures the checks need on every
// call: calendars, cut-offs in minutes, supply as ready days. Pure: products come
// through a Catalogue, all in memory or one at a time from an index.
import type { Capabilities, Lane, Location, Product } from '../capabilities/capabilitiesSchema.js';
import { minuteOfDay } from './time/clock.js';
import { type Day, parseIsoDay } from './time/days.js';
import { type WorkCalendar, workCalendar } from './time/workCalendar.js';

export interface SupplyLot {
  /** The first day these units can ship: arrival plus the location's handling. */
  ready: Day;
  qty: number;
}

export interface LocationModel {
  location: Location;
  cutoffMinute: number;
  /** The site's zone: its cut-off, order, ready and ship days are read there. */
  zone: string;
  /** The site's calendar: the company's, field by field replaced by its own. */
  calendar: WorkCalendar;
  /** The last year its hand-typed holidays cover; null when it has none (only public holidays or none). */
  holidaysUntil: number | null;
}

export interface ProductModel {
  product: Product;
  /** Per location id: on-hand units and incoming lots by ready day, ascending. */
  readonly supply: Map<string, { onHand: number; incoming: SupplyLot[] }>;
}

/**
 * What validating added to the calendars (capabilities/publicHolidays.ts): the
 * years whose public holidays are merged into the holiday lists, and the last
 * year each hand-typed list covers (null: none typed), which a check cannot tell
 * once the lists are merged.
 */
export interface ExpandedCalendars {
  /** null: no public holidays listed anywhere. */
  years: [number, number] | null;
  holidaysUntil: { company: number | null; locations: Record<string, number | null> };
}

/** Everything but the products: what every check reads whole. */
export type Policy = Omit<Capabilities, 'products'> & { expanded?: ExpandedCalendars };

/** Products by sku: a large company's are read one at a time from an index (capabilities/cache.ts). */
export interface Catalogue {
  get(sku: string): Product | undefined;
  /** Every sku, in the order declared. */
  skus(): string[];
}

export function catalogueOf(products: readonly Product[]): Catalogue {
  const bySku = new Map(products.map((p) => [p.sku, p]));
  return { get: (sku) => bySku.get(sku), skus: () => [...bySku.keys()] };
}

/** factor → key → workdays taken → outcomes (src/core/learn/). */
export type History = ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<number, number>>>;

/** How a plan's lane or lead time really did (LEARN.md "Evidence on every check"). */
export interface Evidence {
  samples: number;
  /** Delivered on or before the day the capabilities (as they are now) predict. */
  on_time_share: number;
  p90_late_days: number;
}

/**
 * The log's delivery history as checks read it: src/core/learn/evidence.ts makes
 * it, and only a check with a history loads that code (a check's start-up budget).
 */
export interface HistoryView {
  took: History;
  /** The evidence for a plan and its words; null with too little history. */
  evidence(model: Model, sku: string, to: string, plan: { from: string; method: string; source: string }): { evidence: Evidence; text: string } | null;
}

export interface Model {
  caps: Policy;
  calendar: WorkCalendar;
  locations: Map<string, LocationModel>;
  products: { get(sku: string): ProductModel | undefined; skus(): string[] };
  /** Delivered outcomes per factor, from the log (LEARN.md): evidence and rule `history`. */
  history?: HistoryView;
}

export function compile(caps: Policy, catalogue: Catalogue): Model {
  const calendar = workCalendar(caps.calendar.workdays, caps.calendar.holidays);
  const companyUntil = caps.expanded ? caps.expanded.holidaysUntil.company : holidaysUntil(caps.calendar.holidays, caps.calendar.years);
  const locations = new Map<string, LocationModel>();
  for (const location of caps.locations) {
    const own = location.calendar;
    const same = own?.workdays === undefined && own?.holidays === undefined;
    locations.set(location.id, {
      location,
      cutoffMinute: minuteOfDay(location.cutoff),
      zone: location.timezone ?? caps.timezone,
      calendar: same ? calendar : workCalendar(own?.workdays ?? caps.calendar.workdays, own?.holidays ?? caps.calendar.holidays),
      holidaysUntil: caps.expanded
        ? location.id in caps.expanded.holidaysUntil.locations
          ? caps.expanded.holidaysUntil.locations[location.id]!
          : companyUntil
        : own?.holidays
          ? holidaysUntil(own.holidays, undefined)
          : companyUntil,
    });
  }
  // Built on first use: a single check of a large catalogue needs one product.
  const compiled = new Map<string, ProductModel | undefined>();
  const get = (sku: string) => {
    if (!compiled.has(sku)) {
      const product = catalogue.get(sku);
      compiled.set(sku, product && { product, supply: supplyOf(product, calendar, locations) });
    }
    return compiled.get(sku);
  };
  return { caps, calendar, locations, products: { get, skus: () => catalogue.skus() } };
}

/** The last year a hand-typed holiday list covers: its `years`, else its last date's; null when none is typed. */
export function holidaysUntil(holidays: readonly string[], years: readonly number[] | undefined): number | null {
  if (holidays.length === 0) return null;
  if (years && years.length > 0) return Math.max(...years);
  return Math.max(...holidays.map((h) => Number(h.slice(0, 4))));
}

/** The calendar and zone a location plans in; the company's for an unknown id. */
export function siteOf(model: Model, location: string): { calendar: WorkCalendar; zone: string; holidaysUntil: number | null } {
  const loc = model.locations.get(location);
  return loc ?? { calendar: model.calendar, zone: model.caps.timezone, holidaysUntil: null };
}

/** A model of capabilities held whole in memory (tests, a file just written). */
export const compileAll = (caps: Capabilities): Model => compile(caps, catalogueOf(caps.products));

function supplyOf(product: Product, calendar: WorkCalendar, locations: Map<string, LocationModel>): ProductModel['supply'] {
  const supply: ProductModel['supply'] = new Map();
  for (const [locId, stock] of Object.entries(product.stock)) {
    const site = locations.get(locId);
    const handling = site?.location.handling_days ?? 0;
    const cal = site?.calendar ?? calendar;
    const incoming = stock.incoming
      .map((lot) => ({ ready: cal.addWorkdays(parseIsoDay(lot.date)!, handling), qty: lot.qty }))
      .sort((a, b) => a.ready - b.ready);
    supply.set(locId, { onHand: stock.on_hand, incoming });
  }
  return supply;
}

/**
 * Lanes found per location, by method and region: every line of a batch asks a
 * location the same few questions, and plan, lane rule and alternatives ask them
 * again. Bounded per location, since a server's requests may name any region.
 */
const lanesFound = new WeakMap<Location, Map<string | undefined, Map<string, readonly Lane[]>>>();
const LANES_KEPT = 1024;

/** Lanes of a location that reach a region, optionally of one method (shared: not to be changed). */
export function lanesTo(location: Location, region: string, method?: string): readonly Lane[] {
  let byMethod = lanesFound.get(location);
  if (!byMethod) {
    byMethod = new Map();
    lanesFound.set(location, byMethod);
  }
  let byRegion = byMethod.get(method);
  if (!byRegion) {
    byRegion = new Map();
    if (byMethod.size < LANES_KEPT) byMethod.set(method, byRegion);
  }
  let lanes = byRegion.get(region);
  if (lanes === undefined) {
    lanes = location.lanes.filter((l) => l.to.includes(region) && (method === undefined || l.method === method));
    if (byRegion.size < LANES_KEPT) byRegion.set(region, lanes);
  }
  return lanes;
}

/** Every region some lane of the given locations reaches, sorted. */
export function regionsServed(locations: Iterable<Location>): string[] {
  const regions = new Set<string>();
  for (const loc of locations) for (const lane of loc.lanes) for (const r of lane.to) regions.add(r);
  return [...regions].sort();
}

/** knownRegions per capabilities: a batch asks for every line, and collecting and sorting them cost more than the line's check. */
const regionsOf = new WeakMap<Policy, ReadonlySet<string>>();

/** Every region a lane or a service names. */
export function knownRegions(caps: Policy): ReadonlySet<string> {
  const known = regionsOf.get(caps);
  if (known) return known;
  const regions = new Set(regionsServed(caps.locations));
  for (const s of caps.services) for (const r of s.regions) regions.add(typeof r === 'string' ? r : r.id);
  regionsOf.set(caps, regions);
  return regions;
}

/** A region as the capabilities spell it: "nsw" is NSW when exactly one region matches ignoring case. */
export function canonicalRegion(model: Model, region: string): string {
  const known = knownRegions(model.caps);
  if (known.has(region)) return region;
  const matches = [...known].filter((r) => r.toLowerCase() === region.toLowerCase());
  return matches.length === 1 ? matches[0]! : region;
}
