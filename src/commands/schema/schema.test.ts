// promise schema, in process.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SPEC_EXAMPLE } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { runSchema } from './schema.js';

describe('promise schema', async () => {
  it('prints a JSON Schema that names every top-level section', async () => {
    const r = await inProcess((io) => runSchema({}, io));
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toContain('json-schema.org');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['version', 'company', 'timezone', 'calendar', 'policy', 'locations', 'products', 'services']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'company', 'timezone', 'calendar', 'locations']));
  });

  it('an editor (ajv, strict, with formats) accepts the example and rejects impossible dates and times, and public_holidays without years (issue 22)', async () => {
    const schema = JSON.parse((await inProcess((io) => runSchema({}, io))).stdout);
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const valid = ajv.compile(schema);
    const example = parse(readFileSync(SPEC_EXAMPLE, 'utf8'));
    expect(valid(example), JSON.stringify(valid.errors)).toBe(true);
    const withCalendar = (calendar: Record<string, unknown>) => ({ ...example, calendar: { ...example.calendar, ...calendar } });
    for (const date of ['2026-02-30', '2026-04-31', '2026-13-01', '2026-1-1', '2027-02-29']) {
      expect(valid(withCalendar({ holidays: [date] })), date).toBe(false);
    }
    expect(valid(withCalendar({ holidays: ['2028-02-29'], not_holidays: ['2026-12-26'] }))).toBe(true);
    expect(valid(withCalendar({ public_holidays: ['DE'] }))).toBe(false); // needs years
    expect(valid(withCalendar({ public_holidays: ['DE'], years: [2026] }))).toBe(true);
    const asOf = (text: string) => ({ ...example, products: [{ sku: 'X', stock: { [example.locations[0].id]: { on_hand: 1, as_of: text } } }] });
    for (const text of ['2026-11-23T08:00', '2026-11-23T08:00:00Z', '2026-11-23 08:00+01:00', '2026-11-23']) expect(valid(asOf(text)), text).toBe(true);
    for (const text of ['2026-11-23T24:00', '23.11.2026', '2026-11-23T8:00']) expect(valid(asOf(text)), text).toBe(false);
  });

  it("an editor knows a location's own zone and calendar, field by field (COMMITMENTS.md)", async () => {
    const schema = JSON.parse((await inProcess((io) => runSchema({}, io))).stdout);
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const valid = ajv.compile(schema);
    const example = parse(readFileSync(SPEC_EXAMPLE, 'utf8'));
    const site = (extra: Record<string, unknown>) => ({ ...example, locations: [{ ...example.locations[0], ...extra }] });
    expect(valid(site({ timezone: 'America/Toronto', calendar: { public_holidays: ['CA-ON'] } })), JSON.stringify(valid.errors)).toBe(true);
    expect(valid(site({ calendar: { workdays: ['mon', 'sat'], holidays: ['2026-12-31'], not_holidays: ['2026-04-06'] } }))).toBe(true);
    expect(valid(site({ calendar: { workdays: [] } }))).toBe(false);
    expect(valid(site({ calendar: { holidays: ['2026-02-30'] } }))).toBe(false);
    expect(valid(site({ calendar: { years: [2026] } }))).toBe(false); // years are the company's
  });
});
