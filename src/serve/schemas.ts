// What the API, the page and MCP accept, as zod schemas built from the core's
// promise schemas (src/core/promise.ts): the same fields, types and limits the
// CLI validates a batch line with. Fastify validates requests with them and
// /openapi.json and the MCP tools' input schemas are generated from them.
import * as z from 'zod/mini';
import { DeliveryPromise, OrderPromise, ServicePromise, unknownFields } from '../core/promise.js';
import { STATUSES } from '../log/log.js';

const about = <T extends z.ZodMiniType>(schema: T, description: string): T => {
  z.globalRegistry.add(schema, { description });
  return schema;
};
/** What a request may carry, and nothing else: an unknown field is refused in the CLI's words, with the nearest known. */
const strict = <S extends z.core.$ZodLooseShape>(shape: S) => z.strictObject(shape, { error: unknownFields(Object.keys(shape)) });
const text = (max = 200) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
/** A new schema each use: a description is registered on the schema object, and a shared one would take the last. */
const isoDate = () => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'));

const { kind: _d, ...delivery } = DeliveryPromise.shape;
const { kind: _o, lines, ...order } = OrderPromise.shape;
const { kind: _s, ...service } = ServicePromise.shape;

/**
 * One promise, as a line of a batch (CLI.md): a delivery (sku, qty, to, by), an
 * order (lines, to, by) or a service (service, region, response_hours, hours).
 * `by` also takes what a rep types ("friday", "+10d"), resolved as the CLI does.
 */
export const CheckRequest = about(
  strict({
    sku: z.optional(about(delivery.sku, 'delivery: the product')),
    qty: z.optional(about(delivery.qty, 'delivery: how many units')),
    lines: z.optional(about(lines, 'order: several lines to one place by one date, planned in order')),
    to: z.optional(about(order.to, 'delivery or order: destination region')),
    by: z.optional(about(text(), 'delivery or order: the date promised (YYYY-MM-DD, today, +10d, +3w, friday, "5 December")')),
    method: z.optional(about(order.method, 'delivery or order: only lanes of this method')),
    from: z.optional(about(order.from, 'delivery or order: only this location')),
    customer: z.optional(about(order.customer, 'who the promise is made to (their terms apply)')),
    service: z.optional(about(service.service, 'service: which service')),
    region: z.optional(about(service.region, 'service: where')),
    response_hours: z.optional(about(service.response_hours, 'service: promised response, in business hours')),
    hours: z.optional(about(service.hours, "service: '24x7' or a window like 'mon-fri 08:00-18:00'")),
  }),
  'A delivery (sku, qty, to, by), an order (lines, to, by) or a service (service, region, response_hours, hours) promise.',
);
export type CheckRequest = z.infer<typeof CheckRequest>;

/** Commit a checked promise, or one of its alternatives, firmly or as a quote held until a date. */
export const CommitRequest = strict({
  alternative: z.optional(about(z.int().check(z.minimum(1)), "commit the check's alternative N (1-based) instead of the promise")),
  hold_until: z.optional(about(text(), 'a quote: holds stock until the end of this day, then nothing (confirm it later)')),
  note: z.optional(about(z.string().check(z.maxLength(2000)), 'what the customer expects beyond the promise, for operations')),
});
export type CommitRequest = z.infer<typeof CommitRequest>;

/** The API's commit body, which may be left out (no content type): as `{}`. */
export const CommitBody = z.nullish(CommitRequest);
/** Confirm's and release's: nothing, and no unknown field. */
export const NoBody = z.nullish(strict({}));
/** A route that takes no query refuses one. */
export const NoQuery = strict({});

export const OutcomeRequest = strict({
  status: about(z.enum(['met', 'missed']), 'delivered as promised (met) or not (missed)'),
  on: z.optional(about(isoDate(), "when it happened (default today in the company's zone)")),
  note: z.optional(z.string().check(z.maxLength(2000))),
});
export type OutcomeRequest = z.infer<typeof OutcomeRequest>;

const whole = (what: string) => z.coerce.number({ error: `${what} must be a whole number` }).check(z.int(`${what} must be a whole number`));
export const IdParams = strict({ id: whole('the check id').check(z.minimum(1, 'the check id must be 1 or more')) });

const limit = z.optional(
  about(
    whole('limit').check(z.minimum(1, 'limit must be 1 to 100000'), z.maximum(100_000, 'limit must be 1 to 100000')),
    'at most this many, newest first (default 1000)',
  ),
);

export const ChecksQuery = strict({
  since: z.optional(about(isoDate(), 'recorded on or after this date')),
  sku: z.optional(text()),
  customer: z.optional(text()),
  verdict: z.optional(z.enum(['feasible', 'at_risk', 'infeasible'])),
  status: z.optional(z.enum(STATUSES as [string, ...string[]])),
  limit,
});

export const CapabilitiesQuery = about(
  strict({
    region: z.optional(about(text(), 'only this region')),
    sku: z.optional(about(text(), 'only this product')),
    customer: z.optional(about(text(), "this customer's terms apply")),
  }),
  'What can be promised: products with stock and earliest dates by region, services with their response times, holidays.',
);
export type CapabilitiesQuery = z.infer<typeof CapabilitiesQuery>;

export const HandoffQuery = strict({
  from: z.optional(about(text(), 'only shipments from this location')),
  since: z.optional(about(isoDate(), 'shipping on or after this date')),
  until: z.optional(about(isoDate(), 'shipping on or before this date')),
});

export const StatsQuery = strict({
  since: z.optional(about(isoDate(), 'checks recorded on or after this date')),
  by: z.optional(about(text(), 'group by sku, region, rep and/or month (comma-separated)')),
});

/** MCP's commit_promise: which check, and the same terms as the API's commit. */
export const CommitPromiseInput = strict({
  check_id: about(z.int().check(z.minimum(1)), 'the id check_promise returned'),
  ...CommitRequest.shape,
});

/** MCP's list_commitments: open commitments and held quotes, filterable. */
export const CommitmentsQuery = strict({
  status: z.optional(
    about(z.enum(['open', 'held', 'expired']), 'firm (open), a quote still holding (held) or a quote past its date (expired); default open and held'),
  ),
  sku: z.optional(text()),
  customer: z.optional(text()),
  limit,
});
export type CommitmentsQuery = z.infer<typeof CommitmentsQuery>;

/** RFC 9457, with the fields that were wrong. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
});
