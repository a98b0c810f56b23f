// Guided prompts for a rep at a terminal: only the missing fields are asked, SKUs
// and regions as searchable lists from the capabilities file. Loaded only when a
// prompt is needed, so scripts never pay for the prompt library.
import { input, number, search } from '@inquirer/prompts';
import { localTime } from '../../core/time/clock.js';
import { isoDay } from '../../core/time/days.js';
import { earliestSafe } from '../../core/delivery/alternatives.js';
import { Ledger } from '../../core/commitments/ledger.js';
import { type Model, regionsServed } from '../../core/model.js';
import { parseRepDate } from '../../core/time/repDate.js';
import { regionIds } from '../../core/service/terms.js';

type Fields = Record<string, string | undefined>;

const matching = <T extends { value: string; name: string }>(choices: T[], term: string | undefined) => {
  const t = (term ?? '').toLowerCase();
  return choices.filter((c) => c.name.toLowerCase().includes(t));
};

export async function askMissing(fields: Fields, kind: 'delivery' | 'service', model: Model, now: Date): Promise<Fields> {
  const f = { ...fields };
  const today = localTime(now, model.caps.timezone).day;
  if (kind === 'service') {
    const services = model.caps.services.map((s) => ({ value: s.id, name: s.name ? `${s.id} — ${s.name}` : s.id }));
    f.service ??= await search({ message: 'Service', source: (term) => matching(services, term) });
    const service = model.caps.services.find((s) => s.id === f.service);
    const regions = (service ? regionIds(service) : []).map((r) => ({ value: r, name: r }));
    f.region ??= await search({ message: 'Region', source: (term) => matching(regions, term) });
    f.response_hours ??= String(await number({ message: 'Response within (business hours)', required: true, min: 0.25 }));
    f.hours ??= await input({ message: "Hours ('24x7' or like 'mon-fri 08:00-18:00')", default: '24x7' });
    return f;
  }
  const products = model.caps.products.map((p) => ({ value: p.sku, name: p.name ? `${p.sku} — ${p.name}` : p.sku }));
  f.sku ??= await search({ message: 'SKU', source: (term) => matching(products, term) });
  f.qty ??= String(await number({ message: 'Quantity', required: true, min: 1, step: 1 }));
  const regions = regionsServed(model.caps.locations).map((r) => ({ value: r, name: r }));
  f.to ??= await search({ message: 'Deliver to region', source: (term) => matching(regions, term) });
  if (f.by === undefined) {
    // Offer the earliest date that passes the policy as the default.
    const probe = { kind: 'delivery' as const, sku: f.sku, qty: Number(f.qty), to: f.to, by: isoDay(today) };
    const safe = earliestSafe(model, probe, Ledger.of([]), now);
    f.by = await input({
      message: 'Deliver by (YYYY-MM-DD, +10d, friday)',
      default: safe?.promise.kind === 'delivery' ? safe.promise.by : isoDay(today + 14),
      validate: (v) => parseRepDate(v, today) !== null || 'use YYYY-MM-DD, today, tomorrow, +10d, +3w or a weekday',
    });
  }
  return f;
}
