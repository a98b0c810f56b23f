// COMMITMENTS.md "Alternatives wherever a safe promise exists": berlin's stock
// figures are stale (counted 1 November, policy: 48 hours), so 30 PUMP-100 from
// berlin are at risk; rotterdam (counted now) delivers them on the 27th, safely.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Capabilities } from '../../../src/capabilities/capabilitiesSchema.js';
import { capabilitySheet } from '../../../src/core/capabilitySheet.js';
import { check } from '../../../src/core/checkPromise.js';
import { Ledger } from '../../../src/core/commitments/ledger.js';
import { compileAll } from '../../../src/core/model.js';
import { SPEC_EXAMPLE } from '../../helpers/cli.js';
import { berlin } from '../../helpers/model.js';

const NOW = berlin('2026-11-23T10:00');
const raw = parse(readFileSync(SPEC_EXAMPLE, 'utf8'));
raw.policy.max_stock_age_hours = 48;
raw.products[0].stock.berlin.as_of = '2026-11-01T08:00';
const model = compileAll(Capabilities.parse(raw));
const pumps = { kind: 'delivery' as const, sku: 'PUMP-100', qty: 30, to: 'DE', by: '2026-12-04' };

describe('other_location whenever another location makes it feasible', () => {
  it('at risk on stale stock at the fastest location: rotterdam is offered', () => {
    const r = check(model, pumps, new Ledger(), NOW);
    expect(r.verdict).toBe('at_risk');
    expect(r.alternatives.find((a) => a.kind === 'other_location')).toMatchObject({
      promise: { ...pumps, from: 'rotterdam' },
      plan: { from: 'rotterdam', delivery_date: '2026-11-27' },
      summary: 'All 30 PUMP-100 to DE by 2026-12-04, shipped from rotterdam instead of berlin (arrives 2026-11-27).',
    });
  });

  it('pinned to berlin (--from berlin): the same offer', () => {
    const r = check(model, { ...pumps, from: 'berlin' }, new Ledger(), NOW);
    expect(r.verdict).toBe('at_risk');
    expect(r.alternatives.find((a) => a.kind === 'other_location')?.summary).toBe(
      'All 30 PUMP-100 to DE by 2026-12-04, shipped from rotterdam instead of berlin (arrives 2026-11-27).',
    );
  });
});

describe('capabilities --sku never says "not possible" for a region some location can serve', () => {
  it('30 PUMP-100 to DE: from rotterdam, since berlin is at risk', () => {
    const sheet = capabilitySheet(model, new Ledger(), NOW, { quantities: [30], sku: 'PUMP-100', region: 'DE' });
    expect(sheet.products[0]!.delivery).toEqual([{ region: 'DE', qty: 30, by: '2026-11-30', from: 'rotterdam', method: 'standard', arrives: '2026-11-27' }]);
  });
});

describe('stock figures from the future (COMMITMENTS.md)', () => {
  it('as_of in 2062: unknown age, at risk, saying why (not "-315573 hours old")', () => {
    const future = parse(readFileSync(SPEC_EXAMPLE, 'utf8'));
    future.policy.max_stock_age_hours = 48;
    future.products[0].stock.berlin.as_of = '2062-11-23T10:00';
    const r = check(compileAll(Capabilities.parse(future)), pumps, new Ledger(), NOW);
    expect(r.verdict).toBe('at_risk');
    expect(r.reasons.find((x) => x.rule === 'stock_age')?.message).toBe(
      'the stock figures for PUMP-100 at berlin are dated 2062-11-23T10:00, later than now: their age is unknown',
    );
    // Within five minutes of clock skew: current.
    future.products[0].stock.berlin.as_of = '2026-11-23T10:04';
    expect(check(compileAll(Capabilities.parse(future)), pumps, new Ledger(), NOW).verdict).toBe('feasible');
  });
});
