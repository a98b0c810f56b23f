import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCapabilities } from '../../../src/capabilities/load.js';
import { check } from '../../../src/core/checkPromise.js';
import { Ledger } from '../../../src/core/commitments/ledger.js';
import { compile } from '../../../src/core/model.js';
import type { ServicePromise } from '../../../src/core/promise.js';
import { berlin } from '../../helpers/model.js';
import { specModel } from '../../helpers/spec.js';

const m = specModel();
const NOW = berlin('2026-11-23T10:00');
const svc = (p: Partial<ServicePromise>): ServicePromise => ({
  kind: 'service',
  service: 'onsite-repair',
  region: 'DE',
  response_hours: 10,
  hours: 'mon-fri 08:00-18:00',
  ...p,
});
const run = (p: Partial<ServicePromise>, model = m) => check(model, svc(p), Ledger.of([]), NOW);

describe('service check', () => {
  it('a promise inside hours with margin is feasible, with the due time of a request now', () => {
    const r = run({});
    expect(r.verdict).toBe('feasible');
    expect(r.plan).toEqual({
      service: 'onsite-repair',
      region: 'DE',
      response_hours: 8,
      hours: 'mon-fri 08:00-18:00',
      timezone: 'Europe/Berlin',
      due_if_requested_now: '2026-11-24T10:00:00+01:00',
    });
  });

  it('a request now is due in the promised window, not the service’s: mon,wed 08:00-12:00 on a 24x7 line', () => {
    // Monday 10:00: 2 hours until noon, then Wednesday 08:00 plus the third hour.
    const r = run({ service: 'phone-support', response_hours: 3, hours: 'mon,wed 08:00-12:00' });
    expect(r.verdict).toBe('feasible');
    expect(r.plan).toMatchObject({ due_if_requested_now: '2026-11-25T09:00:00+01:00' });
    expect(r.alternatives).toEqual([]);
  });

  it('response equal to the capability holds only without margin: at risk (margin 1 h by default)', () => {
    const r = run({ response_hours: 8 });
    expect(r.verdict).toBe('at_risk');
    expect(r.alternatives[0]).toMatchObject({ kind: 'service_level', promise: { response_hours: 9, hours: 'mon-fri 08:00-18:00' } });
  });

  it('a faster response than offered is infeasible', () => {
    const r = run({ response_hours: 4 });
    expect(r.verdict).toBe('infeasible');
    expect(r.reasons.find((x) => x.rule === 'response')?.message).toBe('promised 4 h response, but onsite-repair responds within 8 business hours in DE');
  });

  it('hours outside the service hours are infeasible; the real hours are offered', () => {
    const r = run({ hours: '24x7' });
    expect(r.verdict).toBe('infeasible');
    expect(r.alternatives[0]?.promise).toMatchObject({ hours: 'mon-fri 08:00-18:00' });
    expect(run({ hours: 'mon-sat 09:00-17:00' }).verdict).toBe('infeasible');
    expect(run({ hours: 'mon-fri 07:00-12:00' }).verdict).toBe('infeasible');
    expect(run({ hours: 'tue,thu 09:00-12:00' }).verdict).toBe('feasible');
  });

  it('a region not covered: another service that covers it', () => {
    const r = run({ region: 'CH', response_hours: 2, hours: '24x7' });
    expect(r.verdict).toBe('infeasible');
    expect(r.reasons[0]?.message).toBe('onsite-repair is not offered in CH; it covers DE, AT');
    expect(r.alternatives).toEqual([
      expect.objectContaining({
        kind: 'service_level',
        promise: expect.objectContaining({ service: 'phone-support', region: 'CH', response_hours: 2, hours: '24x7' }),
      }),
    ]);
  });

  it('an unknown service gets the nearest ids', () => {
    expect(run({ service: 'onsite-repiar' }).reasons[0]?.message).toBe('unknown service "onsite-repiar" (did you mean onsite-repair?)');
  });

  it('per-region terms: CH on-site repair answers in 16 h, on Zurich time', () => {
    const text = readFileSync(new URL('../../../capabilities.yaml', import.meta.url), 'utf8');
    const loaded = parseCapabilities(text, 'capabilities.yaml', NOW);
    if (!loaded.ok) throw new Error('shipped file invalid');
    const root = compile(loaded.value.caps, loaded.value.catalogue);
    expect(run({ region: 'CH', response_hours: 12, hours: 'mon-fri 08:00-17:00' }, root).verdict).toBe('infeasible');
    const ok = run({ region: 'CH', response_hours: 17, hours: 'mon-fri 08:00-17:00' }, root);
    expect(ok.verdict).toBe('feasible');
    expect(ok.plan).toMatchObject({ response_hours: 16, timezone: 'Europe/Zurich' });
  });

  it('every alternative offered re-checks as feasible', () => {
    for (const service of ['onsite-repair', 'phone-support', 'nope']) {
      for (const region of ['DE', 'CH', 'GB', 'XX']) {
        for (const response_hours of [0.5, 1, 4, 8, 24]) {
          for (const hours of ['24x7', 'mon-fri 08:00-18:00', 'sat 10:00-12:00']) {
            const r = run({ service, region, response_hours, hours });
            for (const alt of r.alternatives) expect(check(m, alt.promise, Ledger.of([]), NOW).verdict).toBe('feasible');
          }
        }
      }
    }
  });
});
