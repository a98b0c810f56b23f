import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { berlin } from '../../../test/helpers/model.js';
import { parseCapabilities } from '../../capabilities/load.js';
import { capabilitySheet } from '../../core/capabilitySheet.js';
import { check } from '../../core/checkPromise.js';
import { Ledger } from '../../core/commitments/ledger.js';
import type { DeliveryPlan } from '../../core/delivery/evaluate.js';
import { compile } from '../../core/model.js';
import { isoDay, parseIsoDay } from '../../core/time/days.js';
import { runCheck } from '../check/check.js';
import { type CapabilitiesOptions, runCapabilities } from './capabilities.js';

const NOW = berlin('2026-11-23T10:00');
const loaded = parseCapabilities(readFileSync(`${ROOT}/capabilities.yaml`, 'utf8'), 'capabilities.yaml', NOW);
if (!loaded.ok) throw new Error('shipped capabilities.yaml is invalid');
const model = compile(loaded.value.caps, loaded.value.catalogue);

describe('promise capabilities', () => {
  it('every date on the sheet is the earliest date check calls feasible', () => {
    const ledger = Ledger.of([]);
    const sheet = capabilitySheet(model, ledger, NOW, { quantities: [1, 10, 100] });
    expect(sheet.products).toHaveLength(24);
    let compared = 0;
    for (const p of sheet.products) {
      for (const d of p.delivery) {
        const promise = { kind: 'delivery' as const, sku: p.sku, qty: d.qty, to: d.region };
        if (d.by === null) {
          // "Not possible" means no date at all works: try a year out.
          expect(check(model, { ...promise, by: '2027-11-23' }, ledger, NOW).verdict).not.toBe('feasible');
          continue;
        }
        const r = check(model, { ...promise, by: d.by }, ledger, NOW);
        expect(r.verdict, `${p.sku} ${d.qty} ${d.region}`).toBe('feasible');
        expect((r.plan as DeliveryPlan).delivery_date).toBe(d.arrives);
        const dayBefore = isoDay(parseIsoDay(d.by)! - 1);
        expect(check(model, { ...promise, by: dayBefore }, ledger, NOW).verdict, `${p.sku} ${d.qty} ${d.region} a day earlier`).not.toBe('feasible');
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('services: regions, response and hours with per-region terms', () => {
    const sheet = capabilitySheet(model, Ledger.of([]), NOW, { quantities: [1], region: 'CH' });
    expect(sheet.services.find((s) => s.id === 'onsite-repair')?.regions).toEqual([
      { region: 'CH', response_hours: 16, hours: 'mon-fri 07:00-19:00', timezone: 'Europe/Zurich' },
    ]);
  });

  it('text, markdown, narrowed, and in agreement with check', async () => {
    const common = { capabilities: `${ROOT}/capabilities.yaml`, now: '2026-11-23T10:00', log: false as const };
    const sheetOf = (opts: Partial<CapabilitiesOptions>) => inProcess((io) => runCapabilities({ ...common, format: 'text', qty: '1,10,100', ...opts }, io));
    const sheet = JSON.parse((await sheetOf({ sku: 'PUMP-100', region: 'DE', qty: '50', json: true })).stdout);
    const entry = sheet.products[0].delivery[0];
    expect(entry).toMatchObject({ region: 'DE', qty: 50, by: '2026-11-26' });
    const checked = JSON.parse(
      (await inProcess((io) => runCheck({ ...common, input: false, sku: 'PUMP-100', qty: '50', to: 'DE', by: entry.by, json: true }, io))).stdout,
    );
    expect(checked.verdict).toBe('feasible');
    expect(checked.plan.delivery_date).toBe(entry.arrives);

    const text = (await sheetOf({ region: 'AT' })).stdout;
    expect(text).toContain('Hansa Fluidtechnik GmbH: what we can promise, as of 2026-11-23 (Europe/Berlin)');
    expect(text).toContain('Made to order at wroclaw: ready 15 workdays after the order, up to 6 a week.');
    expect(text).toContain('AT   response within 8 business hours, mon-fri 07:00-19:00 (Europe/Berlin)');
    const md = (await sheetOf({ format: 'markdown', sku: 'PUMP-900' })).stdout;
    expect(md).toContain('### PUMP-900 — Industrial pump 900 l/min (made to order)');
    expect(md).toContain('| Region | 1 unit by | 10 units by | 100 units by |');
  });

  it('an unknown sku and an unknown region are refused alike: exit 2 with the nearest names', async () => {
    const common = { capabilities: `${ROOT}/capabilities.yaml`, now: '2026-11-23T10:00', log: false as const, format: 'text', qty: '1' };
    const sku = await inProcess((io) => runCapabilities({ ...common, sku: 'PUMP-10' }, io));
    expect(sku).toMatchObject({ code: 2, stdout: '' });
    expect(sku.stderr).toMatch(/^promise: unknown sku "PUMP-10" \(did you mean PUMP-100/);
    const region = await inProcess((io) => runCapabilities({ ...common, region: 'XX' }, io));
    expect(region).toMatchObject({ code: 2, stdout: '' });
    expect(region.stderr).toMatch(/^promise: unknown region "XX"/);
    // A region typed in the wrong case is the region.
    expect((await inProcess((io) => runCapabilities({ ...common, region: 'at' }, io))).stdout).toContain('AT   response within 8 business hours');
  });

  it('lists the holidays ahead with their names: public ones from the data set, and the company’s own', async () => {
    const r = await inProcess((io) =>
      runCapabilities({ capabilities: fixture('companies/newyork.yaml'), now: '2026-11-23T10:00', log: false, format: 'text', qty: '1' }, io),
    );
    expect(r.stdout).toContain(
      'HOLIDAYS (no work: no shipping, no office-hours service)\n  2026-11-26  Thanksgiving Day (US)\n  2026-12-24  company holiday\n  2026-12-25  Christmas Day (US)\n',
    );
    expect(r.stdout).not.toContain('2026-11-11'); // Veterans Day has passed
    // Known (a check may reach it) but beyond the file's years and the next twelve months: not listed.
    expect(r.stdout).toContain('2027-11-25  Thanksgiving Day (US)');
    expect(r.stdout).not.toContain('2028-11-23');
  });
});
