// promise capabilities: in plain words, what the company can and cannot promise
// today; --format markdown for a proposal, --region/--sku to narrow it.

import type { Customer } from '../../capabilities/capabilitiesSchema.js';
import type { LoadedCapabilities } from '../../capabilities/read.js';
import type { Io } from '../../cli/io.js';
import type { CommonOptions } from '../../cli/options.js';
import { printable } from '../../cli/render.js';
import { ledgerOf, openSession } from '../../cli/session.js';
import { type CapabilitySheet, capabilitySheet, type ProductSheet } from '../../core/capabilitySheet.js';
import { didYouMean } from '../../core/closest.js';
import { canonicalRegion, knownRegions } from '../../core/model.js';
import { responseText, responseWithin } from '../../core/service/terms.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';

export interface CapabilitiesOptions extends CommonOptions {
  format: string;
  region?: string;
  sku?: string;
  qty: string;
}

export async function runCapabilities(opts: CapabilitiesOptions, io: Io): Promise<ExitCode> {
  if (!['text', 'markdown'].includes(opts.format)) throw usageError(`--format must be text or markdown, not "${opts.format}"`);
  const quantities = opts.qty.split(',').map((q) => Number(q.trim()));
  if (quantities.some((q) => !Number.isInteger(q) || q < 1 || q > 1_000_000_000))
    throw usageError(`--qty must be whole numbers like 1,10,100, not "${opts.qty}"`);
  const session = await openSession(opts, io);
  const { model } = session;
  // Unknown names are refused alike, with the nearest known ones.
  if (opts.sku !== undefined && !model.products.get(opts.sku))
    throw usageError(printable(`unknown sku "${opts.sku}"${didYouMean(opts.sku, model.products.skus())}`));
  const region = opts.region === undefined ? undefined : canonicalRegion(model, opts.region);
  if (region !== undefined && !knownRegions(model.caps).has(region))
    throw usageError(printable(`unknown region "${region}"${didYouMean(region, knownRegions(model.caps))}`));
  const customer = opts.customer === undefined ? null : (model.caps.customers.find((c) => c.id === opts.customer) ?? null);
  if (opts.customer !== undefined && !customer) {
    throw usageError(
      printable(
        `unknown customer "${opts.customer}"${didYouMean(
          opts.customer,
          model.caps.customers.map((c) => c.id),
        )}`,
      ),
    );
  }
  const sheet = {
    ...capabilitySheet(model, (await ledgerOf(session)).ledger, session.now, { quantities, region, sku: opts.sku, customer: customer?.id }),
    holidays: holidaysAhead(session.loaded, session.today),
    customer,
  };
  if (opts.json) io.out.write(`${JSON.stringify(sheet)}\n`);
  else io.out.write(opts.format === 'markdown' ? markdown(sheet) : text(sheet));
  return EXIT.ok;
}

const title = (p: { sku?: string; id?: string; name: string | null }) => (p.name ? `${p.sku ?? p.id} — ${p.name}` : (p.sku ?? p.id)!);
const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

function stockSentences(p: ProductSheet): string[] {
  const out: string[] = [];
  const kept = p.stock.filter((s) => s.protected).map((s) => `${s.protected!.qty} at ${s.location} for ${list(s.protected!.for)} customers`);
  if (kept.length > 0) out.push(`Reserved: ${list(kept)} (not counted as free for others).`);
  const inStock = p.stock.filter((s) => s.available_now > 0).map((s) => `${s.available_now} at ${s.location}`);
  out.push(inStock.length > 0 ? `In stock and free to promise: ${list(inStock)}.` : 'Nothing in stock that is free to promise.');
  const incoming = p.stock.flatMap((s) => s.incoming.map((i) => `${i.qty} at ${s.location} on ${i.date}`));
  if (incoming.length > 0) out.push(`More arriving: ${list(incoming)}.`);
  if (p.make_to_order) {
    const m = p.make_to_order;
    out.push(`Made to order at ${m.location}: ready ${m.lead_days} workdays after the order, up to ${m.capacity_per_week} a week.`);
  }
  if (p.replenishment) out.push(`Beyond stock: ${p.replenishment.lead_days} workdays from ${p.replenishment.location} (bought in, any quantity).`);
  return out;
}

function deliveryPhrase(d: ProductSheet['delivery'][number]): string {
  return d.by ? `${d.qty} by ${d.by}` : `${d.qty}: not possible`;
}

function byRegion(p: ProductSheet): Map<string, ProductSheet['delivery']> {
  const m = new Map<string, ProductSheet['delivery']>();
  for (const d of p.delivery) m.set(d.region, [...(m.get(d.region) ?? []), d]);
  return m;
}

type Sheet = CapabilitySheet & { holidays: Holiday[]; customer: Customer | null };

/** A customer's terms in plain words. */
function termsSentence(c: Customer): string {
  const days = c.receiving_days ? `receives goods on ${list(c.receiving_days)} only` : 'receives goods on every workday';
  return `${c.name ? `${c.id} (${c.name})` : c.id}: ${c.segment ? `segment ${c.segment}, ` : ''}${days}, ${c.allow_partial ? 'takes partial deliveries' : 'takes no partial deliveries'}.`;
}
interface Holiday {
  date: string;
  name: string;
}

/** Closed days from today on: public holidays by name (and the code they come from), the company's own. */
function holidaysAhead(loaded: LoadedCapabilities, today: string): Holiday[] {
  const names = new Map<string, string[]>();
  for (const h of loaded.publicHolidays) names.set(h.date, [...(names.get(h.date) ?? []), `${h.name} (${h.code})`]);
  // Public holidays are known years ahead (every year a check reaches): the sheet lists the file's years and the next twelve months.
  const years = loaded.caps.calendar.years ?? [];
  const yearAhead = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  return loaded.caps.calendar.holidays
    .filter((d) => d >= today && (d < yearAhead || years.includes(Number(d.slice(0, 4)))))
    .map((date) => ({ date, name: names.get(date)?.join('; ') ?? 'company holiday' }));
}

function text(sheet: Sheet): string {
  const lines = [`${sheet.company}: what we can promise${sheet.customer ? ` to ${sheet.customer.id}` : ''}, as of ${sheet.as_of} (${sheet.timezone})`, ''];
  if (sheet.customer) lines.push(`Terms: ${termsSentence(sheet.customer)}`, '');
  if (sheet.products.length > 0) lines.push('PRODUCTS');
  for (const p of sheet.products) {
    lines.push(title(p));
    for (const s of stockSentences(p)) lines.push(`  ${s}`);
    const regions = byRegion(p);
    if (regions.size === 0) lines.push('  No region can be delivered to.');
    else lines.push('  Earliest delivery dates we can promise (units by date):');
    for (const [region, ds] of regions) lines.push(`    ${region.padEnd(4)} ${ds.map(deliveryPhrase).join(' · ')}`);
    lines.push('');
  }
  if (sheet.services.length > 0) lines.push('SERVICES');
  for (const s of sheet.services) {
    lines.push(title(s));
    for (const r of s.regions) lines.push(`  ${r.region.padEnd(4)} response ${responseText(r.response_hours, r.hours)} (${r.timezone})`);
    lines.push('');
  }
  if (sheet.holidays.length > 0) lines.push('HOLIDAYS (no work: no shipping, no office-hours service)');
  for (const h of sheet.holidays) lines.push(`  ${h.date}  ${h.name}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

function markdown(sheet: Sheet): string {
  const md = [
    `# ${sheet.company}: what we can promise${sheet.customer ? ` to ${sheet.customer.id}` : ''}`,
    '',
    `As of ${sheet.as_of} (${sheet.timezone}).`,
    '',
  ];
  if (sheet.customer) md.push(`Terms: ${termsSentence(sheet.customer)}`, '');
  if (sheet.products.length > 0) md.push('## Products', '');
  for (const p of sheet.products) {
    md.push(`### ${title(p)}`, '', ...stockSentences(p), '');
    const regions = byRegion(p);
    const quantities = [...new Set(p.delivery.map((d) => d.qty))];
    if (regions.size > 0) {
      md.push(`| Region | ${quantities.map((q) => `${q} unit${q === 1 ? '' : 's'} by`).join(' | ')} |`, `|---|${quantities.map(() => '---').join('|')}|`);
      for (const [region, ds] of regions) md.push(`| ${region} | ${ds.map((d) => d.by ?? 'not possible').join(' | ')} |`);
      md.push('');
    }
  }
  if (sheet.services.length > 0) md.push('## Services', '');
  for (const s of sheet.services) {
    md.push(`### ${title(s)}`, '', '| Region | Response | Hours |', '|---|---|---|');
    for (const r of s.regions) md.push(`| ${r.region} | ${responseWithin(r.response_hours, r.hours)} | ${r.hours} (${r.timezone}) |`);
    md.push('');
  }
  if (sheet.holidays.length > 0) md.push('## Holidays', '', '| Date | Holiday |', '|---|---|', ...sheet.holidays.map((h) => `| ${h.date} | ${h.name} |`), '');
  return `${md.join('\n').trimEnd()}\n`;
}
