import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../test/helpers/cli.js';
import { csvRecords, parseCsvText } from './csv.js';

// The reno products export: a BOM, `;` separators, CRLF, and a quoted name holding
// a separator, doubled quotes and a line break.
const products = readFileSync(fixture('feeds/reno/products.csv'), 'utf8');

describe('CSV as exports write it', () => {
  it('BOM, `;`, CRLF and quoted separators, quotes and line breaks', () => {
    const parsed = parseCsvText(products);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['sku', 'name', 'replenishment_location', 'replenishment_days']],
      [2, ['WIDGET', 'Widget; standard', 'reno', '10']],
      [3, ['GADGET', 'Gadget "Pro"\r\nwith a two-line name', '', '']],
      [5, ['BOLT', 'Bolt', '', '']],
    ]);
    // The field after a quoted line break: on the record's second line.
    expect(parsed.locate(3, 2)).toEqual({ line: 4, column: 23 });
    expect(parsed.locate(2, 2)).toEqual({ line: 2, column: 27 });
  });

  it('`,` with LF, blank lines skipped but counted', () => {
    const parsed = parseCsvText('sku,location\n\nA,"x,y"\n');
    expect(parsed.ok && parsed.records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['sku', 'location']],
      [3, ['A', 'x,y']],
    ]);
  });

  it('an unclosed quote is located at its opening quote', () => {
    expect(parseCsvText('a,b\nx,"open\ny,z\n')).toEqual({ ok: false, error: { line: 2, column: 3, message: expect.stringContaining('never closed') } });
  });

  it('streamed a character at a time: the same records and lines', async () => {
    const [head, ...rest] = [...products];
    const chunks = (async function* () {
      yield* rest;
    })();
    const records = [];
    for await (const r of csvRecords(head!, chunks)) records.push([r.line, r.fields]);
    const whole = parseCsvText(products);
    expect(records).toEqual(whole.ok ? whole.records.map((r) => [r.line, r.fields]) : null);
  });
});
