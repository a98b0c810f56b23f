// One way from typed fields to a promise, for flags, prompts and batch lines
// alike: unknown fields refused, the rep's date resolved in the company zone,
// region codes matched as the capabilities spell them, then the promise schema.
import { canonicalRegion, type Model } from '../../core/model.js';
import { parsePromise, type SalesPromise, unknownField } from '../../core/promise.js';
import { resolveRepDate } from './repDates.js';

export type Fields = Record<string, unknown>;

export const DATE_HELP = 'use YYYY-MM-DD, today, +10d, +3w, friday, or "5 December"';

export async function promiseFromFields(fields: Fields, model: Model, now: Date): Promise<{ promise: SalesPromise } | { error: string }> {
  for (const name of Object.keys(fields)) {
    const unknown = unknownField(name);
    if (unknown) return { error: unknown };
  }
  const f: Fields = { ...fields };
  if (f.customer === '' || f.customer === null) delete f.customer;
  if (typeof f.by === 'string' && f.by !== '') {
    const by = await resolveRepDate(f.by, now, model.caps.timezone);
    if (by === null) return { error: `by: "${f.by}" is not a date (${DATE_HELP})` };
    f.by = by;
  }
  for (const key of ['to', 'region']) if (typeof f[key] === 'string') f[key] = canonicalRegion(model, (f[key] as string).trim());
  // A batch row's order column groups rows (batch.ts); it is not part of the promise.
  delete f.order;
  const parsed = parsePromise(f);
  return parsed.ok ? { promise: parsed.promise } : { error: parsed.message };
}
