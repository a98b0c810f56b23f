// Supply feeds (FEEDS.md): products, stock and incoming supply from CSV exports,
// checked row by row and merged into what the YAML declares. Every problem is
// located at its field (FEED:LINE:COL); rows with an error are left out.
import { closest } from '../core/closest.js';
import { parseNow } from '../core/time/clock.js';
import { type Day, parseIsoDay } from '../core/time/days.js';
import { type CsvRecord, parseCsvText } from '../csv.js';
import type { Problem } from './problem.js';
import { type Capabilities, invisibleCharacter, type Product, type Stock } from './schema.js';

export const FEED_KINDS = ['products', 'stock', 'incoming'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** A feed's content as read, with the path the YAML gives it. */
export interface FeedText {
  kind: FeedKind;
  path: string;
  text: string;
}

const COLUMNS: Record<FeedKind, { required: string[]; optional: string[] }> = {
  products: { required: ['sku', 'name'], optional: ['replenishment_location', 'replenishment_days'] },
  stock: { required: ['sku', 'location', 'on_hand'], optional: ['as_of'] },
  incoming: { required: ['sku', 'location', 'qty', 'date'], optional: ['ref'] },
};

/** Suggestions cost a scan of every name: after this many unknown names in one feed, none are offered. */
const MAX_SUGGESTIONS = 100;

/**
 * The capabilities with the feeds' products, stock and incoming supply merged in,
 * and every problem found in the feeds. Feeds are read in kind order: a stock row
 * may name a product of the products feed.
 */
export function applyFeeds(caps: Capabilities, feeds: readonly FeedText[], today: Day | null): { caps: Capabilities; problems: Problem[] } {
  const problems: Problem[] = [];
  const products = caps.products.map((p) => ({ ...p, stock: { ...p.stock } }));
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const declaredInYaml = new Set(caps.products.flatMap((p) => Object.keys(p.stock).map((loc) => key(p.sku, loc))));
  const locations = caps.locations.map((l) => l.id);
  const locationIds = new Set(locations);
  // A product row with an error (or a products feed that cannot be read) is not
  // "unknown" to the stock that names it: that error is reported once, where it is.
  const rejected = new Set<string>();
  let productsUnread = false;

  for (const kind of FEED_KINDS) {
    const feed = feeds.find((f) => f.kind === kind);
    if (!feed) continue;
    const table = readTable(feed, problems, (row) => rejected.add(row.get('sku')));
    if (!table) {
      if (kind === 'products') productsUnread = true;
      continue;
    }
    let suggestions = 0;
    const unknown = (what: string, name: string, known: () => Iterable<string>) => {
      const near = suggestions++ < MAX_SUGGESTIONS ? closest(name, known()) : [];
      return `unknown ${what} "${name}"${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`;
    };
    const seen = new Map<string, number>();
    for (const row of table.rows) {
      const fail = (column: string, message: string, severity: Problem['severity'] = 'error') => {
        problems.push({ severity, file: feed.path, path: [], ...table.at(row, column), message });
        return undefined;
      };
      const sku = (): string | undefined => {
        const value = row.get('sku');
        if (value === '') return fail('sku', 'sku must not be empty');
        const invisible = invisibleCharacter(value);
        return invisible ? fail('sku', `sku ${invisible}`) : value;
      };
      const product = (): Product | undefined => {
        const s = sku();
        if (s === undefined || rejected.has(s) || (productsUnread && !bySku.has(s))) return undefined;
        return (
          bySku.get(s) ??
          fail(
            'sku',
            unknown('sku', s, () => bySku.keys()),
          )
        );
      };
      const location = (column: string): string | undefined => {
        const id = row.get(column);
        return locationIds.has(id)
          ? id
          : fail(
              column,
              unknown('location', id, () => locations),
            );
      };
      const count = (column: string, max = Number.MAX_SAFE_INTEGER): number | undefined => {
        const text = row.get(column);
        const problem = wholeNumberProblem(text, max);
        return problem ? fail(column, `${column} ${problem}`) : Number(text);
      };
      const once = (id: string, column: string, what: string): boolean => {
        const first = seen.get(id);
        if (first !== undefined) return fail(column, `duplicate ${what} (first on line ${first})`) ?? false;
        seen.set(id, row.line);
        return true;
      };

      if (kind === 'products') {
        const s = sku();
        if (s === undefined || !once(s, 'sku', `sku "${s}"`)) continue;
        if (bySku.has(s)) {
          fail('sku', `sku "${s}" is also declared in the YAML products: declare each product in one place`);
          continue;
        }
        rejected.add(s);
        const where = row.get('replenishment_location');
        const days = row.get('replenishment_days');
        let replenishment: Product['replenishment'];
        if (where !== '' || days !== '') {
          if (where === '' || days === '') {
            fail(where === '' ? 'replenishment_location' : 'replenishment_days', 'replenishment needs both replenishment_location and replenishment_days');
            continue;
          }
          const loc = location('replenishment_location');
          const lead = count('replenishment_days', 365);
          if (loc === undefined || lead === undefined) continue;
          replenishment = { location: loc, lead_days: lead };
        }
        const name = row.get('name').replace(/\r\n?/g, '\n');
        const added: Product = { sku: s, stock: {}, ...(name ? { name } : {}), ...(replenishment ? { replenishment } : {}) };
        products.push(added);
        bySku.set(s, added);
        rejected.delete(s);
        continue;
      }

      const p = product();
      const loc = location('location');
      if (!p || loc === undefined) continue;
      if (declaredInYaml.has(key(p.sku, loc))) {
        fail('location', `stock of "${p.sku}" at "${loc}" is also declared in the YAML (products[].stock): take it from one place`);
        continue;
      }
      if (kind === 'stock') {
        const onHand = count('on_hand');
        const asOf = row.get('as_of');
        const stale = asOf !== '' && typeof parseNow(asOf, 'UTC') === 'string';
        if (stale) fail('as_of', `as_of "${asOf}" is not an ISO 8601 date-time (e.g. 2026-11-23T08:00)`);
        if (onHand === undefined || stale || !once(key(p.sku, loc), 'sku', `stock row for "${p.sku}" at "${loc}"`)) continue;
        const stock = stockAt(p, loc);
        stock.on_hand = onHand;
        if (asOf !== '') stock.as_of = asOf;
      } else {
        const qty = count('qty');
        const date = row.get('date');
        const day = parseIsoDay(date);
        if (day === null) fail('date', `date "${date}" is not a real date YYYY-MM-DD`);
        if (qty === undefined || day === null) continue;
        if (today !== null && day < today) fail('date', `incoming delivery dated ${date} is in the past: book it into on_hand`, 'warning');
        if (qty > 0) stockAt(p, loc).incoming.push({ date, qty });
      }
    }
  }
  return { caps: { ...caps, products }, problems };
}

const key = (sku: string, location: string) => `${sku}\u0000${location}`;

function stockAt(product: Product, location: string): Stock {
  product.stock[location] ??= { on_hand: 0, incoming: [] };
  return product.stock[location];
}

/** Why text is not a whole number from 0 to max, or null. */
function wholeNumberProblem(text: string, max: number): string | null {
  if (/^\d+$/.test(text)) return Number(text) <= max ? null : `must be at most ${max}, not ${text}`;
  if (/^-\d+(\.\d+)?$/.test(text)) return `must not be negative, not ${text}`;
  if (/^\d*\.\d+$/.test(text)) return `must be a whole number, not ${text}`;
  return `must be a whole number >= 0, not "${text}"`;
}

interface Row {
  line: number;
  fields: string[];
  /** A known column's trimmed value; '' for an optional column the header lacks. */
  get(column: string): string;
}

/** A feed's header checked and its rows ready to read by column name, or null when nothing can be read. */
/** `skipped`: a row left out for its shape (its sku is not "unknown" to the stock naming it). */
function readTable(
  feed: FeedText,
  problems: Problem[],
  skipped: (row: Row) => void,
): { rows: Iterable<Row>; at: (row: Row, column: string) => { line: number; column: number } } | null {
  const add = (severity: Problem['severity'], where: { line: number; column: number }, message: string) =>
    problems.push({ severity, file: feed.path, path: [], ...where, message });
  const parsed = parseCsvText(feed.text);
  if (!parsed.ok) {
    add('error', parsed.error, parsed.error.message);
    return null;
  }
  const [header, ...records] = parsed.records;
  const { required, optional } = COLUMNS[feed.kind];
  if (!header) {
    add('error', { line: 1, column: 1 }, `is empty: expected a header row (${required.join(',')})`);
    return null;
  }
  const known = [...required, ...optional];
  const index = new Map<string, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    const where = parsed.locate(header.line, i);
    if (index.has(name)) add('error', where, `column "${name}" appears twice`);
    else if (known.includes(name)) index.set(name, i);
    else {
      const near = closest(name, known);
      add('warning', where, `unknown column "${name}" is ignored${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`);
    }
  });
  const missing = required.filter((c) => !index.has(c));
  if (missing.length > 0) {
    add(
      'error',
      { line: header.line, column: 1 },
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (a ${feed.kind} feed has ${required.join(',')})`,
    );
    return null;
  }
  const width = header.fields.length;
  const rows = function* (): Generator<Row> {
    for (const record of records) {
      if (record.fields.length !== width) {
        add('error', { line: record.line, column: 1 }, `has ${record.fields.length} fields, the header has ${width}`);
        skipped(rowOf(record, index));
        continue;
      }
      yield rowOf(record, index);
    }
  };
  return { rows: rows(), at: (row, column) => parsed.locate(row.line, index.get(column) ?? 0) };
}

function rowOf(record: CsvRecord, index: Map<string, number>): Row {
  return {
    line: record.line,
    fields: record.fields,
    get: (column) => {
      const i = index.get(column);
      return record.fields[i ?? -1]?.trim() ?? '';
    },
  };
}
