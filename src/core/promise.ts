// What a rep proposes. Flags, prompts and batch lines all end up here; the
// schemas coerce text ("50", "2026-12-04") so every entry point validates alike.
// zod/mini keeps this on the start-up path of every check cheap to load.
import * as z from 'zod/mini';
import { closest } from './closest.js';
import { isRealIsoDate } from './time/days.js';
import { parseWindow } from './time/openHours.js';

/**
 * A schema built on first use, standing for it in every use (src/serve reads `.shape`). zod
 * builds schemas in interpreted code: the four below took ~2.5-4 ms of a check's start-up,
 * and a check parses one kind of promise, so it builds only that kind's.
 */
function onFirstUse<T extends object>(build: () => T): T {
  let schema: T | undefined;
  return new Proxy({} as T, {
    get: (_, key) => {
      schema ??= build();
      return Reflect.get(schema, key);
    },
  });
}

const text = (what: string) =>
  z.string({ error: `${what} is required` }).check(
    z.trim(),
    z.minLength(1, `${what} is required`),
    z.maxLength(200, `${what} is longer than 200 characters`),
    // PostgreSQL cannot store NUL: both logs refuse it alike, as a bad line, never a lost chunk.
    z.refine((s) => !s.includes('\0'), `${what} must not contain a NUL character`),
  );

const wholeCount = () =>
  z.coerce.number({ error: 'qty must be a number' }).check(
    z.refine(Number.isFinite, 'qty must be a number'),
    z.refine(Number.isInteger, 'qty must be a whole number'),
    z.refine((n) => n >= 1, 'qty must be at least 1'),
    z.refine((n) => n <= 1_000_000_000, 'qty must be at most 1,000,000,000'),
  );

const date = () =>
  z.string({ error: 'by is required' }).check(
    z.refine(isRealIsoDate, 'by must be a real date YYYY-MM-DD'),
    z.refine((d) => d >= '1970-01-02' && d <= '9999-12-31', 'by is out of range'),
  );

/**
 * What a delivery and an order share, built once for both: the very same schema objects in
 * each, as when they were built at the top level (the API's descriptions attach to them).
 */
const buildShared = () => ({
  qty: wholeCount(),
  /** Where, by when, how and to whom: the same for a single delivery and an order. */
  destination: {
    to: text('to (region)'),
    by: date(),
    method: z.optional(text('method')),
    from: z.optional(text('from (location)')),
    /** Who the promise is made to: a customer id with terms in the capabilities applies them (ORDERS.md). */
    customer: z.optional(text('customer')),
  },
});
let shared: ReturnType<typeof buildShared> | undefined;
function sharedParts(): ReturnType<typeof buildShared> {
  shared ??= buildShared();
  return shared;
}

export const DeliveryPromise = onFirstUse(() => {
  const { qty, destination } = sharedParts();
  return z.object({
    kind: z._default(z.literal('delivery'), 'delivery'),
    sku: text('sku'),
    qty,
    ...destination,
  });
});
export type DeliveryPromise = z.infer<typeof DeliveryPromise>;

/** Several lines to one place by one date, planned in order (ORDERS.md). */
export const OrderPromise = onFirstUse(() => {
  const { qty, destination } = sharedParts();
  return z.object({
    kind: z._default(z.literal('order'), 'order'),
    lines: z
      .array(z.strictObject({ sku: text('sku'), qty }, { error: unknownFields(['sku', 'qty']) }), { error: 'lines must be a list of { sku, qty }' })
      .check(z.minLength(1, 'an order needs at least one line'), z.maxLength(500, 'an order has at most 500 lines')),
    ...destination,
  });
});
export type OrderPromise = z.infer<typeof OrderPromise>;
export type OrderLine = OrderPromise['lines'][number];

export const ServicePromise = onFirstUse(() =>
  z.object({
    kind: z._default(z.literal('service'), 'service'),
    service: text('service'),
    region: text('region'),
    response_hours: z.coerce.number({ error: 'response_hours must be a number' }).check(
      z.refine(Number.isFinite, 'response_hours must be a number'),
      z.refine((n) => n > 0, 'response_hours must be more than 0'),
      z.refine((n) => n <= 24 * 365, 'response_hours must be at most a year'),
    ),
    hours: text('hours').check(z.refine((h) => parseWindow(h) !== null, "hours must be '24x7' or a window like 'mon-fri 08:00-18:00'")),
  }),
);
export type ServicePromise = z.infer<typeof ServicePromise>;

export type SalesPromise = DeliveryPromise | OrderPromise | ServicePromise;

/** The customer a promise is made to, whose terms apply (services have none). */
export const customerOf = (p: SalesPromise): string | undefined => (p.kind === 'service' ? undefined : p.customer);

/** One order line as the delivery promise it is planned as. */
export const linePromise = (order: OrderPromise, line: OrderLine): DeliveryPromise => {
  const { kind: _kind, lines: _lines, ...rest } = order;
  return { kind: 'delivery', ...rest, sku: line.sku, qty: line.qty };
};

export type PromiseParse = { ok: true; promise: SalesPromise } | { ok: false; message: string };

export const DELIVERY_FIELDS = ['sku', 'qty', 'to', 'by'] as const;
export const SERVICE_FIELDS = ['service', 'region', 'response_hours', 'hours'] as const;
/** Every field a promise may carry (CLI.md, ORDERS.md), in flags, prompts and batch lines alike. */
export const PROMISE_FIELDS: readonly string[] = [...DELIVERY_FIELDS, 'method', 'from', ...SERVICE_FIELDS, 'customer', 'lines', 'order'];

/** Why a field name is not one a promise has (or one of `known`), or null. */
export function unknownField(name: string, known: readonly string[] = PROMISE_FIELDS): string | null {
  if (known.includes(name)) return null;
  const near = closest(name, known, 1);
  return `unknown field "${name}"${near.length > 0 ? ` (did you mean "${near[0]}"?)` : ''}`;
}

/** A strict object's error: its unknown fields in those words, each with the nearest of its own names (zod's otherwise). */
export const unknownFields =
  (known: readonly string[]) =>
  (issue: z.core.$ZodRawIssue): string | undefined =>
    issue.code === 'unrecognized_keys' ? issue.keys.map((k) => unknownField(k, known)).join('; ') : undefined;

/**
 * Numbers typed as text must be written as decimals: Number() would also read
 * "0x10" as 16 and "1e3" as 1000, a promise nobody meant.
 */
const DECIMAL_TEXT = {
  qty: [/^\s*[+-]?\d+(\.\d*)?\s*$/, 'qty must be a whole number'],
  response_hours: [/^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/, 'response_hours must be a number'],
} as const;

/** Decides delivery vs service by the fields present, and validates. */
export function parsePromise(fields: Record<string, unknown>): PromiseParse {
  const present = (k: string) => fields[k] !== undefined && fields[k] !== null && fields[k] !== '';
  const clean = Object.fromEntries(Object.entries(fields).filter(([k]) => present(k)));
  const isService = present('service');
  if (present('lines')) return parseOrder(clean, isService);
  const isDelivery = DELIVERY_FIELDS.some(present);
  if (isService && isDelivery) return { ok: false, message: 'a promise is either a delivery (sku, qty, to, by) or a service (service, region, …), not both' };
  if (!isService && !isDelivery) return { ok: false, message: 'no promise given: need sku, qty, to, by (delivery) or service, region, response_hours, hours' };
  const required: readonly string[] = isService ? SERVICE_FIELDS : DELIVERY_FIELDS;
  const missing = required.filter((k) => !present(k));
  if (missing.length > 0) return { ok: false, message: `missing ${missing.join(', ')}` };
  for (const [field, [pattern, message]] of Object.entries(DECIMAL_TEXT)) {
    const v = clean[field];
    if (typeof v === 'string' && !pattern.test(v)) return { ok: false, message };
  }
  const parsed = isService ? ServicePromise.safeParse(clean) : DeliveryPromise.safeParse(clean);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
  return { ok: true, promise: parsed.data };
}

function parseOrder(clean: Record<string, unknown>, isService: boolean): PromiseParse {
  if (isService || clean.sku !== undefined || clean.qty !== undefined)
    return { ok: false, message: 'an order has lines in place of sku and qty, and is not a service' };
  if (!Array.isArray(clean.lines)) return { ok: false, message: 'lines must be a list of { sku, qty }' };
  const missing = ['to', 'by'].filter((k) => clean[k] === undefined);
  if (missing.length > 0) return { ok: false, message: `missing ${missing.join(', ')}` };
  for (const [i, line] of (clean.lines as unknown[]).entries()) {
    const qty = (line as { qty?: unknown } | null)?.qty;
    if (typeof qty === 'string' && !DECIMAL_TEXT.qty[0].test(qty)) return { ok: false, message: `line ${i + 1}: ${DECIMAL_TEXT.qty[1]}` };
  }
  const parsed = OrderPromise.safeParse(clean);
  if (!parsed.success) {
    return {
      ok: false,
      message: parsed.error.issues
        .map((i) => (i.path[0] === 'lines' && typeof i.path[1] === 'number' ? `line ${i.path[1] + 1}: ${i.message}` : i.message))
        .join('; '),
    };
  }
  return { ok: true, promise: parsed.data };
}
