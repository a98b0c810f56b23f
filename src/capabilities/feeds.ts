// Supply feeds (FEEDS.md): products, stock and incoming supply from CSV exports,
// checked row by row and merged into what the YAML declares. Every problem is
// located at its field (FEED:LINE:COL); rows with an error are left out.
import { closest } from '../core/closest.js';
import { isoDateTimeFields } from '../core/time/clock.js';
import { type Day, parseIsoDay } from '../core/time/days.js';
import { type CsvRecord, parseCsvText } from '../csv.js';
import { type Capabilities, invisibleCharacter, type Product, type Stock } from './capabilitiesSchema.js';
import type { Problem } from './problem.js';

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
/** Problems shown per feed; the rest are counted ("… and 2,999,900 more"): 3 million bad rows must not print 155 MB. */
export const MAX_FEED_PROBLEMS = 100;
/** Characters of a feed's text a message may quote. */
const EXCERPT_CHARS = 40;
const CONTROL = /[\p{Cc}\p{Cf}]/gu;

/**
 * A text from a feed as a message may quote it: quoted, at most EXCERPT_CHARS
 * characters, control and invisible characters escaped. A feed path may name
 * any file (a planted `../../proc/self/environ`): a message never carries more
 * of it than this.
 */
export function excerpt(text: string): string {
  const chars = [...text.slice(0, EXCERPT_CHARS * 2)];
  const cut = chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS).join('')}…` : text;
  return `"${cut.replace(/["\\]/g, '\\$&').replace(CONTROL, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)}"`;
}

/** Where a feed's problems go: the first MAX_FEED_PROBLEMS, then one line that counts the rest. */
function boundedSink(all: Problem[]): { push: (p: Problem) => void; close: () => void; errors: () => number } {
  let shown = 0;
  let errors = 0;
  let first: Problem | undefined;
  let more = 0;
  let moreErrors = 0;
  return {
    errors: () => errors,
    push: (p) => {
      if (p.severity === 'error') errors++;
      if (shown < MAX_FEED_PROBLEMS) {
        shown++;
        all.push(p);
        return;
      }
      first ??= p;
      more++;
      if (p.severity === 'error') moreErrors++;
    },
    close: () => {
      if (!first) return;
      const errors = moreErrors === more ? '' : moreErrors > 0 ? ` (${moreErrors.toLocaleString('en-US')} of them errors)` : ' (all warnings)';
      all.push({
        ...first,
        severity: moreErrors > 0 ? 'error' : 'warning',
        message: `… and ${more.toLocaleString('en-US')} more problem${more === 1 ? '' : 's'} in this feed${errors}, not shown`,
      });
    },
  };
}

/**
 * The capabilities with the feeds' products, stock and incoming supply merged in,
 * and every problem found in the feeds. Feeds are read in kind order: a stock row
 * may name a product of the products feed.
 */
export function applyFeeds(
  caps: Capabilities,
  feeds: readonly FeedText[],
  today: Day | null,
  /** Feeds the YAML names that could not be read (their stock is unknown, not absent). */
  unread: readonly FeedKind[] = [],
): { caps: Capabilities; problems: Problem[] } {
  const all: Problem[] = [];
  const products = caps.products.map((p) => ({ ...p, stock: { ...p.stock } }));
  const bySku = new Map(products.map((p) => [p.sku, p]));
  // By object, not by "sku location" strings: 300,000 string keys cost more than the rest of a row.
  const inYaml = new Map<Product, Set<string>>(products.map((p) => [p, new Set(Object.keys(p.stock))]));
  const fromFeed = new Map<Stock, number>();
  // Exports repeat a few dates and timestamps over and over: each is checked once.
  const days = memo(parseIsoDay);
  const dateTimeOk = memo((text: string) => typeof isoDateTimeFields(text) !== 'string');
  const locations = caps.locations.map((l) => l.id);
  const locationIds = new Set(locations);
  // A product row with an error (or a products feed that cannot be read) is not
  // "unknown" to the stock that names it: that error is reported once, where it is.
  const rejected = new Set<string>();
  let productsUnread = false;
  let stockUnread = unread.includes('stock');
  /** Products the products feed adds, with their line. */
  const fedAt = new Map<Product, number>();

  for (const kind of FEED_KINDS) {
    const feed = feeds.find((f) => f.kind === kind);
    if (!feed) continue;
    const problems = boundedSink(all);
    const table = readTable(feed, problems, (sku) => rejected.add(sku));
    if (!table) {
      if (kind === 'products') productsUnread = true;
      if (kind === 'stock') stockUnread = true;
      problems.close();
      continue;
    }
    // Helpers made once a feed, not once a row: a feed has 300,000 rows.
    const { get, at } = table;
    let suggestions = 0;
    const unknown = (what: string, name: string, known: () => Iterable<string>) => {
      const near = suggestions++ < MAX_SUGGESTIONS ? closest(name, known()) : [];
      return `unknown ${what} ${excerpt(name)}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`;
    };
    const fail = (row: Row, column: string, message: string, severity: Problem['severity'] = 'error'): undefined => {
      problems.push({ severity, file: feed.path, path: [], ...at(row, column), message });
      return undefined;
    };
    const skuOf = (row: Row): string | undefined => {
      const value = get(row, 'sku');
      if (value === '') return fail(row, 'sku', 'sku must not be empty');
      const invisible = invisibleCharacter(value);
      return invisible ? fail(row, 'sku', `sku ${invisible}`) : value;
    };
    const productOf = (row: Row): Product | undefined => {
      const known = bySku.get(get(row, 'sku'));
      if (known) return known;
      const s = skuOf(row);
      if (s === undefined || rejected.has(s) || (productsUnread && !bySku.has(s))) return undefined;
      return (
        bySku.get(s) ??
        fail(
          row,
          'sku',
          unknown('sku', s, () => bySku.keys()),
        )
      );
    };
    const locationOf = (row: Row, column: string): string | undefined => {
      const id = get(row, column);
      return locationIds.has(id)
        ? id
        : fail(
            row,
            column,
            unknown('location', id, () => locations),
          );
    };
    const countOf = (row: Row, column: string, max = Number.MAX_SAFE_INTEGER): number | undefined => {
      const text = get(row, column);
      const problem = wholeNumberProblem(text, max);
      return problem ? fail(row, column, `${column} ${problem}`) : Number(text);
    };
    const seen = new Map<string, number>();
    const once = (row: Row, id: string, column: string, what: string): boolean => {
      const first = seen.get(id);
      if (first !== undefined) return fail(row, column, `duplicate ${what} (first on line ${first})`) ?? false;
      seen.set(id, row.line);
      return true;
    };

    for (const row of table.rows) {
      if (kind === 'products') {
        const s = skuOf(row);
        if (s === undefined || !once(row, s, 'sku', `sku ${excerpt(s)}`)) continue;
        if (bySku.has(s)) {
          fail(row, 'sku', `sku ${excerpt(s)} is also declared in the YAML products: declare each product in one place`);
          continue;
        }
        rejected.add(s);
        const where = get(row, 'replenishment_location');
        const days = get(row, 'replenishment_days');
        let replenishment: Product['replenishment'];
        if (where !== '' || days !== '') {
          if (where === '' || days === '') {
            fail(row, where === '' ? 'replenishment_location' : 'replenishment_days', 'replenishment needs both replenishment_location and replenishment_days');
            continue;
          }
          const loc = locationOf(row, 'replenishment_location');
          const lead = countOf(row, 'replenishment_days', 365);
          if (loc === undefined || lead === undefined) continue;
          replenishment = { location: loc, lead_days: lead };
        }
        const name = get(row, 'name').replace(/\r\n?/g, '\n');
        const added: Product = { sku: s, stock: {}, ...(name ? { name } : {}), ...(replenishment ? { replenishment } : {}) };
        products.push(added);
        bySku.set(s, added);
        fedAt.set(added, row.line);
        rejected.delete(s);
        continue;
      }

      const p = productOf(row);
      const loc = locationOf(row, 'location');
      if (!p || loc === undefined) continue;
      if (inYaml.get(p)?.has(loc)) {
        fail(row, 'location', `stock of ${excerpt(p.sku)} at ${excerpt(loc)} is also declared in the YAML (products[].stock): take it from one place`);
        continue;
      }
      if (kind === 'stock') {
        const onHand = countOf(row, 'on_hand');
        const asOf = get(row, 'as_of');
        const stale = asOf !== '' && !dateTimeOk(asOf);
        if (stale) fail(row, 'as_of', `as_of ${excerpt(asOf)} is not an ISO 8601 date-time (e.g. 2026-11-23T08:00)`);
        if (onHand === undefined || stale) continue;
        const stock = stockAt(p, loc);
        const first = fromFeed.get(stock);
        if (first !== undefined) {
          fail(row, 'sku', `duplicate stock row for ${excerpt(p.sku)} at ${excerpt(loc)} (first on line ${first})`);
          continue;
        }
        fromFeed.set(stock, row.line);
        stock.on_hand = onHand;
        if (asOf !== '') stock.as_of = asOf;
      } else {
        const qty = countOf(row, 'qty');
        const date = get(row, 'date');
        const day = days(date);
        if (day === null) fail(row, 'date', `date ${excerpt(date)} is not a real date YYYY-MM-DD`);
        if (qty === undefined || day === null) continue;
        if (today !== null && day < today) fail(row, 'date', `incoming delivery dated ${date} is in the past: book it into on_hand`, 'warning');
        if (qty > 0) stockAt(p, loc).incoming.push({ date, qty });
      }
    }
    problems.close();
    // A stock row left out for an error may have been a product's only stock.
    if (kind === 'stock' && problems.errors() > 0) stockUnread = true;
  }
  // As crossChecks says of a YAML product: a product of the feed with nothing to ship from never can be promised
  // (a stock feed with its header alone, or one that names other products).
  const unpromisable = boundedSink(all);
  const productsFeed = feeds.find((f) => f.kind === 'products');
  for (const [p, line] of stockUnread ? [] : fedAt) {
    if (p.replenishment || Object.keys(p.stock).length > 0) continue;
    unpromisable.push({
      severity: 'warning',
      file: productsFeed!.path,
      path: [],
      line,
      column: 1,
      message: `${excerpt(p.sku)} has no stock and no replenishment: it can never be promised`,
    });
  }
  unpromisable.close();
  return { caps: { ...caps, products }, problems: all };
}

function memo<T>(fn: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    if (!known.has(text)) known.set(text, fn(text));
    return known.get(text)!;
  };
}

function stockAt(product: Product, location: string): Stock {
  product.stock[location] ??= { on_hand: 0, incoming: [] };
  return product.stock[location];
}

/** Why text is not a whole number from 0 to max, or null. */
function wholeNumberProblem(text: string, max: number): string | null {
  const quoted = excerpt(text);
  const bare = quoted.slice(1, -1);
  if (/^\d+$/.test(text)) return Number(text) <= max ? null : `must be at most ${max}, not ${bare}`;
  if (/^-\d+(\.\d+)?$/.test(text)) return `must not be negative, not ${bare}`;
  if (/^\d*\.\d+$/.test(text)) return `must be a whole number, not ${bare}`;
  return `must be a whole number >= 0, not ${quoted}`;
}

type Row = CsvRecord;

interface Table {
  rows: Iterable<Row>;
  /** A known column's trimmed value; '' for an optional column the header lacks. */
  get: (row: Row, column: string) => string;
  at: (row: Row, column: string) => { line: number; column: number };
}

/**
 * A feed's header checked and its rows ready to read by column name, or null when
 * nothing can be read. `skipped`: the sku of a row left out for its shape (not
 * "unknown" to the stock naming it).
 */
function readTable(feed: FeedText, problems: { push: (p: Problem) => void }, skipped: (sku: string) => void): Table | null {
  const add = (severity: Problem['severity'], where: { line: number; column: number }, message: string) =>
    problems.push({ severity, file: feed.path, path: [], ...where, message });
  const nul = feed.text.indexOf('\u0000');
  if (nul >= 0) {
    // Binary (or a kernel file): nothing of it is quoted.
    const before = feed.text.slice(0, nul).split('\n');
    add('error', { line: before.length, column: before.at(-1)!.length + 1 }, 'contains a NUL byte: binary, not a CSV text file');
    return null;
  }
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
  const unknown: number[] = [];
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (index.has(name)) add('error', parsed.locate(header.line, i), `column ${excerpt(name)} appears twice`);
    else if (known.includes(name)) index.set(name, i);
    else unknown.push(i);
  });
  const missing = required.filter((c) => !index.has(c));
  if (missing.length === 0 && records.length === 0 && feed.kind !== 'incoming') {
    const message = `has a header and no rows: nothing from this ${feed.kind} feed (an empty incoming feed is normal; an empty ${feed.kind} feed is a failed export)`;
    add('warning', { line: header.line, column: 1 }, message);
  }
  for (const i of unknown) {
    const name = header.fields[i]!.trim().toLowerCase();
    const near = closest(name.slice(0, EXCERPT_CHARS * 2), known);
    // Without its required columns the file may be anything (a planted .env): only a near miss of a column is named.
    if (missing.length > 0 && near.length === 0) continue;
    add(
      'warning',
      parsed.locate(header.line, i),
      `unknown column ${excerpt(name)} is ignored${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
    );
  }
  if (missing.length > 0) {
    add(
      'error',
      { line: header.line, column: 1 },
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (a ${feed.kind} feed has ${required.join(',')})`,
    );
    return null;
  }
  const get = (row: Row, column: string) => row.fields[index.get(column) ?? -1]?.trim() ?? '';
  const width = header.fields.length;
  const rows = function* (): Generator<Row> {
    for (const record of records) {
      if (record.fields.length === width) {
        yield record;
        continue;
      }
      add('error', { line: record.line, column: 1 }, `has ${record.fields.length} fields, the header has ${width}`);
      skipped(get(record, 'sku'));
    }
  };
  return { rows: rows(), get, at: (row, column) => parsed.locate(row.line, index.get(column) ?? 0) };
}
