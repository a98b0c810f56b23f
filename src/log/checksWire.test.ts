import { describe, expect, it } from 'vitest';
import { packChecks, unpackChecks } from './checksWire.js';
import type { OutcomeJson } from './outcomeJson.js';

const json = (promise: object, extra: Partial<OutcomeJson> = {}): OutcomeJson => ({
  verdict: 'feasible',
  promise: JSON.stringify(promise),
  plan: 'null',
  reasons: '[]',
  alternatives: '[]',
  holds: '[]',
  alternativeHolds: '[]',
  ...extra,
});

describe('checks as the writer thread is sent them', () => {
  it('come back value for value: texts of any script, empty, "-", null customers, large event positions', () => {
    const checks = [
      { json: json({ kind: 'delivery', sku: 'PUMP-100', qty: 5, to: 'DE', by: '2026-12-04' }), eventsSeen: 0, customer: null, line: 1 },
      {
        json: json({ kind: 'service', service: 'phone-support', region: 'FR' }, { verdict: 'at_risk', reasons: '[{"message":"Lieferung → Zürich 📦 ünd ©"}]' }),
        eventsSeen: 2 ** 40 + 3,
        customer: 'Søren & Co — "Ltd"',
        line: 3,
      },
      {
        json: json({ kind: 'delivery', sku: '-', qty: 1, to: 'AT', by: '2026-12-05' }, { verdict: 'infeasible', plan: '' }),
        eventsSeen: 7,
        customer: '-',
        line: 2 ** 33,
      },
    ].map((c, i) => ({ ...c, now: `2026-11-23T10:00:0${i}+01:00`, rep: i === 1 ? '' : 'rep ü' }));
    const back = unpackChecks(packChecks(checks));
    expect(back).toHaveLength(3);
    expect(back.map((c) => c.json)).toEqual(checks.map((c) => c.json));
    expect(back.map((c) => c.customer)).toEqual([null, 'Søren & Co — "Ltd"', '-']);
    expect(back.map((c) => c.eventsSeen)).toEqual([0, 2 ** 40 + 3, 7]);
    expect(back.map((c) => c.line)).toEqual([1, 3, 2 ** 33]);
    expect(back.map((c) => c.outcome.verdict)).toEqual(['feasible', 'at_risk', 'infeasible']);
    expect(back[2]!.outcome.promise).toEqual({ kind: 'delivery', sku: '-', qty: 1, to: 'AT', by: '2026-12-05' });
    expect(back.map((c) => [c.now, c.rep])).toEqual(checks.map((c) => [c.now, c.rep]));
  });

  it('more than the buffer first guessed grows it, whole; a check without a line comes back with 0', () => {
    const long = 'é'.repeat(20_000);
    const checks = Array.from({ length: 3 }, (_, i) => ({
      json: json({ kind: 'delivery', sku: `S${i}` }, { reasons: JSON.stringify([long]) }),
      eventsSeen: i,
      now: 'now',
      rep: 'rep',
      customer: 'abc'[i]!,
    }));
    const back = unpackChecks(packChecks(checks, 1));
    expect(back.map((c) => c.json.reasons)).toEqual(checks.map((c) => c.json.reasons));
    expect(back.map((c) => c.customer)).toEqual(['a', 'b', 'c']);
    expect(back.map((c) => c.line)).toEqual([0, 0, 0]);
  });

  it('none is none', () => {
    expect(unpackChecks(packChecks([]))).toEqual([]);
  });
});
