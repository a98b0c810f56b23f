// Guided prompts for a rep at a terminal: only the missing fields are asked, SKUs
// and regions as searchable lists from the capabilities file. Loaded only when a
// prompt is needed, so scripts never pay for the prompt library.
import { confirm, input, number, search, select } from '@inquirer/prompts';
import type { Ledger } from '../../core/commitments/ledger.js';
import { earliestSafe } from '../../core/delivery/alternatives.js';
import { type Model, regionsServed } from '../../core/model.js';
import { earliestOrder } from '../../core/order/alternatives.js';
import { regionIds } from '../../core/service/terms.js';
import { localTime } from '../../core/time/clock.js';
import { isoDay } from '../../core/time/days.js';
import { DATE_HELP } from './fields.js';
import { resolveRepDate } from './repDates.js';

type Fields = Record<string, string | undefined>;
/** What the prompts give back: the fields, or an order's lines in place of sku and qty. */
export type Answers = Fields & { lines?: { sku: string; qty: string }[] };
export type Kind = 'delivery' | 'service';

/** The same bound as the promise schema, so the prompt never accepts what the check refuses. */
const MAX_QTY = 1_000_000_000;

const matching = <T extends { value: string; name: string }>(choices: T[], term: string | undefined) => {
  const t = (term ?? '').toLowerCase();
  return choices.filter((c) => c.name.toLowerCase().includes(t));
};

/** `kind` null: the rep gave nothing that tells, so the first question is which. */
export async function askMissing(fields: Fields, kind: Kind | null, model: Model, ledger: Ledger, now: Date): Promise<Answers> {
  const f: Answers = { ...fields };
  const zone = model.caps.timezone;
  const today = localTime(now, zone).day;
  kind ??= await select<Kind>({
    message: 'What is promised?',
    choices: [
      { value: 'delivery', name: 'A delivery (products to a region by a date)' },
      { value: 'service', name: 'A service (a response time in a region)' },
    ],
  });
  if (kind === 'service') {
    const services = model.caps.services.map((s) => ({ value: s.id, name: s.name ? `${s.id} — ${s.name}` : s.id }));
    f.service ??= await search({ message: 'Service', source: (term) => matching(services, term) });
    const service = model.caps.services.find((s) => s.id === f.service);
    const regions = (service ? regionIds(service) : []).map((r) => ({ value: r, name: r }));
    f.region ??= await search({ message: 'Region', source: (term) => matching(regions, term) });
    // step 'any': whole hours and fractions alike (a step of 1 from a minimum of 0.25 refused 8).
    f.response_hours ??= String(
      await number({
        message: 'Response within (business hours)',
        required: true,
        step: 'any',
        validate: (v) => (v !== undefined && v > 0) || 'more than 0 hours',
      }),
    );
    f.hours ??= await input({ message: "Hours ('24x7' or like 'mon-fri 08:00-18:00')", default: '24x7' });
    return f;
  }
  const products = model.products.skus().map((sku) => {
    const name = model.products.get(sku)?.product.name;
    return { value: sku, name: name ? `${sku} — ${name}` : sku };
  });
  const asking = f.sku === undefined || f.qty === undefined;
  f.sku ??= await search({ message: 'SKU', source: (term) => matching(products, term) });
  f.qty ??= String(await number({ message: 'Quantity', required: true, min: 1, max: MAX_QTY, step: 1 }));
  // A customer rarely asks for one product: more lines make an order (ORDERS.md).
  if (asking && (await confirm({ message: 'Another line (another product in the same order)?', default: false }))) {
    const lines = [{ sku: f.sku, qty: f.qty }];
    do {
      const sku = await search({ message: `SKU of line ${lines.length + 1}`, source: (term) => matching(products, term) });
      const qty = String(await number({ message: 'Quantity', required: true, min: 1, max: MAX_QTY, step: 1 }));
      lines.push({ sku, qty });
    } while (await confirm({ message: 'Another line?', default: false }));
    f.lines = lines;
  }
  const regions = regionsServed(model.caps.locations).map((r) => ({ value: r, name: r }));
  f.to ??= await search({ message: 'Deliver to region', source: (term) => matching(regions, term) });
  if (f.by === undefined) {
    // Offer the earliest date that passes the policy, counting every commitment.
    const by = isoDay(today);
    const safe = f.lines
      ? earliestOrder(model, { kind: 'order', lines: f.lines.map((l) => ({ sku: l.sku, qty: Number(l.qty) })), to: f.to, by }, ledger, now)
      : earliestSafe(model, { kind: 'delivery', sku: f.sku, qty: Number(f.qty), to: f.to, by }, ledger, now);
    f.by = await input({
      message: `Deliver by (YYYY-MM-DD, +10d, friday, next thursday)`,
      default: safe?.promise.by ?? isoDay(today + 14),
      validate: async (v) => (await resolveRepDate(v, now, zone)) !== null || DATE_HELP,
    });
  }
  if (f.lines) {
    delete f.sku;
    delete f.qty;
  }
  return f;
}
