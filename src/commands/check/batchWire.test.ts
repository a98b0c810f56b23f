import { describe, expect, it } from 'vitest';
import type { OutcomeJson } from '../../log/outcomeJson.js';
import { packChecks, unpackChecks } from './batchWire.js';

const PRINT = { json: true, now: 'now', sha256: 'abc' };

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

describe('a chunk as the writer thread is sent it', () => {
  it('comes back value for value: texts of any script, empty, "-", null customers, large event positions', () => {
    const checks = [
      { json: json({ kind: 'delivery', sku: 'PUMP-100', qty: 5, to: 'DE', by: '2026-12-04' }), eventsSeen: 0 },
      {
        json: json({ kind: 'service', service: 'phone-support', region: 'FR' }, { verdict: 'at_risk', reasons: '[{"message":"Lieferung → Zürich 📦 ünd ©"}]' }),
        eventsSeen: 2 ** 40 + 3,
      },
      { json: json({ kind: 'delivery', sku: '-', qty: 1, to: 'AT', by: '2026-12-05' }, { verdict: 'infeasible', plan: '' }), eventsSeen: 7 },
    ];
    const customers = [null, 'Søren & Co — "Ltd"', '-'];
    const lines = [1, 3, 2 ** 33];
    const packed = packChecks(
      checks,
      customers.map((customer, i) => ({ customer, line: lines[i]! })),
      '2026-11-23T10:00:00+01:00',
      'rep ü',
      PRINT,
    );
    const back = unpackChecks(packed);
    expect(back).toHaveLength(3);
    expect(back.map((c) => c.json)).toEqual(checks.map((c) => c.json));
    expect(back.map((c) => c.customer)).toEqual(customers);
    expect(back.map((c) => c.eventsSeen)).toEqual([0, 2 ** 40 + 3, 7]);
    expect(back.map((c) => c.line)).toEqual([1, 3, 2 ** 33]);
    expect(back.map((c) => c.outcome.verdict)).toEqual(['feasible', 'at_risk', 'infeasible']);
    expect(back[2]!.outcome.promise).toEqual({ kind: 'delivery', sku: '-', qty: 1, to: 'AT', by: '2026-12-05' });
    expect(back.every((c) => c.now === '2026-11-23T10:00:00+01:00' && c.rep === 'rep ü')).toBe(true);
  });

  it('a chunk larger than the buffer first guessed grows it, whole', () => {
    const long = 'é'.repeat(20_000);
    const checks = Array.from({ length: 3 }, (_, i) => ({
      json: json({ kind: 'delivery', sku: `S${i}` }, { reasons: JSON.stringify([long]) }),
      eventsSeen: i,
    }));
    const back = unpackChecks(
      packChecks(
        checks,
        ['a', 'b', 'c'].map((customer, i) => ({ customer, line: i + 1 })),
        'now',
        'rep',
        PRINT,
      ),
    );
    expect(back.map((c) => c.json.reasons)).toEqual(checks.map((c) => c.json.reasons));
    expect(back.map((c) => c.customer)).toEqual(['a', 'b', 'c']);
  });

  it('an empty chunk is empty', () => {
    expect(unpackChecks(packChecks([], [], 'now', 'rep', PRINT))).toEqual([]);
  });
});
