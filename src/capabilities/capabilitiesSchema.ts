// The shape of a capabilities file. Every TypeScript type for capabilities is
// inferred from here; cross-references (unknown locations, duplicate ids) are
// checked in crossChecks.ts, where the whole file is in view.
import { z } from 'zod';
import { isoDateTimeFields } from '../core/time/clock.js';
import { isRealIsoDate, WEEKDAY_NAMES } from '../core/time/days.js';

export const Weekday = z.enum(WEEKDAY_NAMES, { error: `must be one of ${WEEKDAY_NAMES.join(', ')}` });
export type Weekday = z.infer<typeof Weekday>;

/**
 * For editors (the JSON Schema): YYYY-MM-DD with each month's days, so 2026-02-30
 * and 2026-04-31 are marked as typed; 29 February of a common year is left to
 * `format: date` and to validate. The parser itself checks the real calendar.
 */
const ISO_DATE_PATTERN = '^\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2\\d))$';
export const IsoDate = z
  .string({ error: 'must be a date YYYY-MM-DD' })
  .refine(isRealIsoDate, { message: 'must be a real calendar date YYYY-MM-DD' })
  .meta({ format: 'date', pattern: ISO_DATE_PATTERN });

/** "HH:MM", 00:00 to 23:59; "24:00" is allowed only where a window ends. */
export const ClockTime = z
  .string({ error: 'must be a time "HH:MM" (quote it in YAML)' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time between "00:00" and "23:59"');
const EndTime = z
  .string({ error: 'must be a time "HH:MM" (quote it in YAML)' })
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time between "00:00" and "24:00"');

/** Control and format characters (zero-width, bidi) make two ids that look alike differ. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
/** Why an id must not be used as written, or null. */
export function invisibleCharacter(value: string): string | null {
  const m = INVISIBLE.exec(value);
  if (!m) return null;
  const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control or invisible characters (U+${code} at character ${m.index + 1})`;
}
const visibleOnly = (value: string, ctx: z.RefinementCtx) => {
  const message = invisibleCharacter(value);
  if (message) ctx.addIssue({ code: 'custom', message });
};
const Id = z.string({ error: 'must be a text id' }).min(1, 'must not be empty').superRefine(visibleOnly);
const Region = z.string({ error: 'must be a region code such as DE' }).min(1, 'must not be empty').superRefine(visibleOnly);
const Count = z.number({ error: 'must be a number' }).int('must be a whole number').nonnegative('must not be negative');
/**
 * Workdays of handling, transit or lead time. Plans look at most 5 years ahead
 * (the planning horizon, core/time/workCalendar.ts); a year of workdays for one
 * step is already more than any real lane or factory.
 */
const Workdays = Count.max(365, 'must be at most 365 workdays (plans look at most 5 years ahead: the planning horizon)');
const Positive = z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be at least 1');

export const Lane = z.strictObject({
  to: z.array(Region, { error: 'must be a list of regions' }).min(1, 'a lane needs at least one region'),
  method: Id,
  transit_days: Workdays,
  /** Optional: among equally early plans, the cheaper lane wins. */
  cost: z.number({ error: 'must be a number' }).nonnegative('must not be negative').optional(),
});
export type Lane = z.infer<typeof Lane>;

const PublicHolidayCodes = z.array(z.string({ error: 'must be a country code such as US or DE-BY' }));

/**
 * A location's own calendar (COMMITMENTS.md "Each site on its own clock and
 * calendar"): each field given replaces the company's for that location, each
 * field left out is the company's.
 */
export const LocationCalendar = z.strictObject({
  workdays: z.array(Weekday).min(1, 'needs at least one workday').optional(),
  holidays: z.array(IsoDate).optional(),
  public_holidays: PublicHolidayCodes.optional(),
  not_holidays: z.array(IsoDate).optional(),
});
export type LocationCalendar = z.infer<typeof LocationCalendar>;

export const Location = z.strictObject({
  id: Id,
  name: z.string().optional(),
  /** IANA zone of the site's cut-off, order, ready and ship days; absent: the file's timezone. */
  timezone: z.string({ error: 'must be an IANA time zone such as America/Toronto' }).optional(),
  calendar: LocationCalendar.optional(),
  cutoff: ClockTime,
  handling_days: Workdays.default(0),
  lanes: z.array(Lane),
});
export type Location = z.infer<typeof Location>;

export const Incoming = z.strictObject({ date: IsoDate, qty: Positive });

/** Units at a location held back for customers of the listed segments (ORDERS.md). */
export const Protected = z.strictObject({
  qty: Positive,
  for: z.array(Id, { error: 'must be a list of customer segments' }).min(1, 'needs at least one segment'),
});

/** An ISO 8601 date-time; without an offset, wall time in the company zone. */
export const DateTime = z
  .string({ error: 'must be an ISO 8601 date-time such as 2026-11-23T08:00' })
  .refine((text) => typeof isoDateTimeFields(text) !== 'string', 'must be an ISO 8601 date-time such as 2026-11-23T08:00')
  // Not `format: date-time`: that one needs an offset, and here wall time in the company zone is allowed.
  .meta({
    pattern: '^\\d{4}-\\d\\d-\\d\\d(?:[Tt ](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:[.,]\\d{1,9})?)?)?(?:[Zz]|[+-](?:[01]\\d|2[0-3])(?::?[0-5]\\d)?)?$',
  });

export const Stock = z.strictObject({
  on_hand: Count,
  /** When on_hand was counted (FEEDS.md "Stale stock"); absent: current. */
  as_of: DateTime.optional(),
  incoming: z.array(Incoming).default([]),
  protected: Protected.optional(),
});
export type Stock = z.infer<typeof Stock>;

export const MakeToOrder = z.strictObject({
  location: Id,
  lead_days: Workdays,
  capacity_per_week: Positive,
});
export type MakeToOrder = z.infer<typeof MakeToOrder>;

/** Bought from the supplier beyond known supply: ready lead_days workdays after the order day (FEEDS.md). */
export const Replenishment = z.strictObject({
  location: Id,
  lead_days: Workdays,
});
export type Replenishment = z.infer<typeof Replenishment>;

export const Product = z.strictObject({
  sku: Id,
  name: z.string().optional(),
  stock: z.record(Id, Stock).default({}),
  make_to_order: MakeToOrder.optional(),
  replenishment: Replenishment.optional(),
  /** Offered, in this order, when a promise of this product is not safe; never swapped in silently. */
  substitutes: z.array(Id).optional(),
});
export type Product = z.infer<typeof Product>;

/** A customer's terms: applied when --customer names this id exactly (ORDERS.md). */
export const Customer = z.strictObject({
  id: Id,
  name: z.string().optional(),
  /** A word of the company's own; protected stock refers to it. */
  segment: Id.optional(),
  allow_partial: z.boolean({ error: 'must be true or false' }).default(true),
  /** Days the customer takes deliveries; default: every company workday. */
  receiving_days: z.array(Weekday).min(1, 'needs at least one day').optional(),
  /** COMMITMENTS.md: a lower number keeps its stock first when supply falls short; absent = last. */
  priority: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 or more').optional(),
});
export type Customer = z.infer<typeof Customer>;

export const Hours = z.union(
  [
    z.literal('24x7'),
    z.strictObject({
      days: z.array(Weekday).min(1, 'needs at least one day'),
      from: ClockTime,
      to: EndTime,
    }),
  ],
  { error: 'must be 24x7 or { days: [...], from: "HH:MM", to: "HH:MM" }' },
);
export type Hours = z.infer<typeof Hours>;

/** A region a service covers, optionally with its own terms (zone, response, holidays). */
export const ServiceRegion = z.union(
  [
    Region,
    z.strictObject({
      id: Region,
      timezone: z.string().optional(),
      response_hours: z.number().positive().optional(),
      holidays: z.array(IsoDate).optional(),
    }),
  ],
  { error: 'must be a region code or { id, timezone?, response_hours?, holidays? }' },
);

export const Service = z.strictObject({
  id: Id,
  name: z.string().optional(),
  regions: z.array(ServiceRegion).min(1, 'a service needs at least one region'),
  hours: Hours,
  response_hours: z.number({ error: 'must be a number of hours' }).positive('must be more than 0'),
  timezone: z.string().optional(),
  /** Extra closed days on top of the company calendar's holidays. */
  holidays: z.array(IsoDate).optional(),
});
export type Service = z.infer<typeof Service>;

const FeedPath = z.string({ error: 'must be the path of a CSV file' }).min(1, 'must not be empty');

export const Capabilities = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  company: z.string({ error: 'must be the company name' }).min(1),
  timezone: z.string({ error: 'must be an IANA time zone such as Europe/Berlin' }),
  calendar: z
    .strictObject({
      workdays: z.array(Weekday).min(1, 'needs at least one workday'),
      holidays: z.array(IsoDate).default([]),
      /** The years the holiday list covers; holidays outside them are mistakes. */
      years: z.array(z.number().int().min(1970).max(9999)).min(1).optional(),
      /** ISO 3166 country or country-subdivision codes (US, DE-BY): their public holidays in every year of `years` and every year a check reaches. */
      public_holidays: PublicHolidayCodes.optional(),
      /** Public holidays the company works on anyway (or where its data set and the law disagree): removed from public_holidays. */
      not_holidays: z.array(IsoDate).optional(),
    })
    // public_holidays are expanded for calendar.years (publicHolidays.ts says so in its words; editors learn it here).
    .meta({ dependentRequired: { public_holidays: ['years'] } }),
  policy: z
    .strictObject({
      safety_days: Count.default(0),
      response_margin_hours: z.number().nonnegative().default(1),
      /** Stock counted longer ago than this makes a plan shipping it at_risk (rule stock_age). */
      max_stock_age_hours: z.number({ error: 'must be a number of hours' }).positive('must be more than 0').optional(),
      /** A plan whose lane or lead time delivered on time less often than this share is at_risk (rule history, LEARN.md). */
      on_time_target: z
        .number({ error: 'must be a share such as 0.95' })
        .gt(0, 'must be more than 0')
        .max(1, 'must be at most 1 (a share: 0.95 = 95%)')
        .optional(),
    })
    .default({ safety_days: 0, response_margin_hours: 1 }),
  /** CSV exports of the ERP, paths relative to this file (FEEDS.md). */
  supply: z
    .strictObject({
      products: FeedPath.optional(),
      stock: FeedPath.optional(),
      incoming: FeedPath.optional(),
    })
    .optional(),
  locations: z.array(Location).min(1, 'needs at least one location'),
  products: z.array(Product).default([]),
  services: z.array(Service).default([]),
  customers: z.array(Customer).default([]),
});
export type Capabilities = z.infer<typeof Capabilities>;

/** For editors: the JSON Schema of what a file may contain (before defaults). */
export const capabilitiesJsonSchema = () => z.toJSONSchema(Capabilities, { io: 'input', unrepresentable: 'any' });
