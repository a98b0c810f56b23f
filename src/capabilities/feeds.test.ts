// The supply feeds of fixtures/feeds/reno, and one fixture per kind of feed
// mistake (fixtures/feeds/mistakes/KIND.what.csv replaces that company's KIND feed).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers/cli.js';
import { sha256 } from '../hash.js';
import { feedsBeside, parseCapabilities } from './load.js';
import { formatProblem } from './problem.js';

const NOW = new Date('2026-11-23T18:00:00Z');
const RENO = fixture('feeds/reno/capabilities.yaml');
const yaml = readFileSync(RENO, 'utf8');
const MISTAKES = fixture('feeds/mistakes');

/** The reno company with one feed replaced. */
function withFeed(kind: string, text: string) {
  const beside = feedsBeside(RENO);
  return parseCapabilities(yaml, 'capabilities.yaml', NOW, (k, path) => (k === kind ? { ok: true, text } : beside(k, path)));
}

const EXPECTED: Record<string, string> = {
  'incoming.impossible-date.csv': 'incoming.csv:3:16: date "2026-02-30" is not a real date YYYY-MM-DD',
  'incoming.multiline-then-bad-sku.csv': 'incoming.csv:4:1: unknown sku "BOLTS" (did you mean BOLT?)',
  'incoming.not-a-number.csv': 'incoming.csv:2:13: qty must be a whole number >= 0, not "ten"',
  'products.also-in-yaml.csv': 'products.csv:5:1: sku "CABLE" is also declared in the YAML products: declare each product in one place',
  'products.duplicate-column.csv': 'products.csv:1:10: column "name" appears twice',
  'products.duplicate-sku.csv': 'products.csv:5:1: duplicate sku "WIDGET" (first on line 2)',
  'products.field-count.csv': 'products.csv:3:1: has 2 fields, the header has 4',
  'products.invisible-sku.csv': 'products.csv:5:1: sku must not contain control or invisible characters (U+200B at character 4)',
  'products.missing-column.csv': 'products.csv:1:1: missing column "name" (a products feed has sku,name)',
  'products.replenishment-fractional.csv': 'products.csv:2:20: replenishment_days must be a whole number, not 2.5',
  'products.replenishment-half.csv': 'products.csv:2:15: replenishment needs both replenishment_location and replenishment_days',
  'products.replenishment-unknown-location.csv': 'products.csv:2:27: unknown location "rno" (did you mean reno?)',
  'products.unclosed-quote.csv': 'products.csv:3:8: a quoted field is never closed (a " without its closing ")',
  'stock.also-in-yaml.csv': 'stock.csv:3:7: stock of "CABLE" at "reno" is also declared in the YAML (products[].stock): take it from one place',
  'stock.bad-as-of.csv': 'stock.csv:2:16: as_of "2026-13-01T08:00" is not an ISO 8601 date-time (e.g. 2026-11-23T08:00)',
  'stock.duplicate-row.csv': 'stock.csv:4:1: duplicate stock row for "WIDGET" at "reno" (first on line 2)',
  'stock.empty.csv': 'stock.csv:1:1: is empty: expected a header row (sku,location,on_hand)',
  'stock.fractional.csv': 'stock.csv:2:13: on_hand must be a whole number, not 2.5',
  'stock.negative.csv': 'stock.csv:3:13: on_hand must not be negative, not -3',
  'stock.unknown-column.csv': 'stock.csv:1:28: warning: unknown column "onhand_reserved" is ignored',
  'stock.unknown-location.csv': 'stock.csv:2:8: unknown location "ren" (did you mean reno?)',
  'stock.unknown-sku.csv': 'stock.csv:3:1: unknown sku "WIDGT" (did you mean WIDGET?)',
};

describe('supply feeds', () => {
  it('merge into the YAML: products, stock with as_of, incoming lots, replenishment', () => {
    const r = parseCapabilities(yaml, RENO, NOW);
    if (!r.ok) throw new Error(r.problems.map((p) => formatProblem(RENO, p)).join('\n'));
    const { catalogue } = r.value;
    expect(catalogue.skus()).toEqual(['CABLE', 'WIDGET', 'GADGET', 'BOLT']);
    expect(catalogue.get('WIDGET')).toEqual({
      sku: 'WIDGET',
      name: 'Widget; standard',
      replenishment: { location: 'reno', lead_days: 10 },
      stock: { reno: { on_hand: 40, as_of: '2026-11-23T06:00', incoming: [{ date: '2026-12-07', qty: 50 }] } },
    });
    expect(catalogue.get('GADGET')?.name).toBe('Gadget "Pro"\nwith a two-line name');
    expect(catalogue.get('BOLT')?.stock.reno).toEqual({ on_hand: 1000, incoming: [] });
    expect(r.value.warnings).toEqual([]);
  });

  it('every mistake fixture is found at its exact line and column, alone', () => {
    const files = readdirSync(MISTAKES).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    for (const file of files) {
      const r = withFeed(file.split('.')[0]!, readFileSync(join(MISTAKES, file), 'utf8'));
      const problems = r.ok ? r.value.warnings : r.problems;
      expect(
        problems.map((p) => formatProblem('capabilities.yaml', p)),
        file,
      ).toEqual([EXPECTED[file]]);
      expect(r.ok, file).toBe(problems[0]!.severity === 'warning');
    }
  });

  it('a feed that cannot be read is located at its key in the YAML', () => {
    const r = parseCapabilities(yaml.replace('stock: stock.csv', 'stock: stok.csv'), RENO, NOW);
    expect(r.ok ? [] : r.problems.map((p) => formatProblem('capabilities.yaml', p))).toEqual([
      'capabilities.yaml:16:10: supply.stock: feed stok.csv: no such file',
    ]);
  });

  it('capabilities_sha256 covers the YAML and every feed; without feeds it is the YAML hash', () => {
    const before = parseCapabilities(yaml, RENO, NOW);
    const after = withFeed('stock', 'sku,location,on_hand\nWIDGET,reno,41\n');
    expect(before.ok && after.ok && before.value.sha256 !== after.value.sha256).toBe(true);
    const plain = 'version: 1\ncompany: X\ntimezone: UTC\ncalendar: { workdays: [mon] }\nlocations: [{ id: a, cutoff: "12:00", lanes: [] }]\n';
    const r = parseCapabilities(plain, 'x.yaml', NOW);
    expect(r.ok && r.value.sha256).toBe(sha256(plain));
  });
});
