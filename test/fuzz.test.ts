// Properties and fuzzing, seeded. `npm test` runs a few hundred cases in seconds;
// `npm run fuzz` sets FUZZ_RUNS for thousands.
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Capabilities } from '../src/capabilities/capabilitiesSchema.js';
import { parseCapabilities } from '../src/capabilities/load.js';
import { check } from '../src/core/checkPromise.js';
import { Ledger } from '../src/core/commitments/ledger.js';
import { atpProfile } from '../src/core/delivery/atp.js';
import type { DeliveryPlan } from '../src/core/delivery/evaluate.js';
import { compile, compileAll } from '../src/core/model.js';
import { type DeliveryPromise, parsePromise } from '../src/core/promise.js';
import { runCli, SPEC_EXAMPLE } from './helpers/cli.js';
import { company } from './helpers/company.js';
import { berlin } from './helpers/model.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const CLI_RUNS = Math.max(5, Math.round(RUNS / 15));
fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 20261123), numRuns: RUNS });

const NOW = berlin('2026-11-23T10:00');
const specText = readFileSync(SPEC_EXAMPLE, 'utf8');
const specData = parse(specText) as Record<string, unknown>;
const specCaps = (() => {
  const r = parseCapabilities(specText, 'spec', NOW);
  if (!r.ok) throw new Error('spec example invalid');
  return r.value;
})();
const model = compile(specCaps.caps, specCaps.catalogue);

/** Every path into a JSON-like value. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push(...paths(x, [...at, i]));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}
const allPaths = paths(specData).filter((p) => p.length > 0);

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -1, 0, 0.5, '25:00', '2026-02-30', '9999-99-99', 'Europe/Nowhere', '', '🚀✓ß', 'a'.repeat(5000)),
  fc.integer({ min: 1, max: 60 }).map((d) => JSON.parse('['.repeat(d) + ']'.repeat(d))),
);

const mutation = fc.record({
  path: fc.constantFrom(...allPaths),
  kind: fc.constantFrom('delete', 'replace'),
  value: hostileValue,
});

function mutate(data: unknown, m: { path: (string | number)[]; kind: string; value: unknown }): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const k of m.path.slice(0, -1)) {
    parent = parent[k] as Record<string | number, unknown>;
    if (parent === null || typeof parent !== 'object') return copy; // an earlier mutation removed it
  }
  const last = m.path[m.path.length - 1]!;
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = m.value;
  return copy;
}

function expectLocatedProblems(text: string) {
  const r = parseCapabilities(text, 'fuzz.yaml', NOW);
  if (!r.ok) {
    expect(r.problems.length).toBeGreaterThan(0);
    for (const p of r.problems) {
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.column).toBeGreaterThanOrEqual(1);
    }
  }
  return r;
}

describe('capabilities fuzzing', () => {
  it('structural mutations of the spec example never throw; every problem is located', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const data = ms.reduce<unknown>((d, m) => mutate(d, m), specData);
        expectLocatedProblems(stringify(data));
      }),
    );
  });

  it('byte-level damage to the text never throws', () => {
    fc.assert(
      fc.property(fc.nat(specText.length), fc.nat(40), fc.string({ maxLength: 20, unit: 'binary' }), (at, cut, insert) => {
        expectLocatedProblems(specText.slice(0, at) + insert + specText.slice(at + cut));
      }),
    );
  });

  it('YAML anchors and aliases are followed, within limits', () => {
    const text = specText
      .replace('workdays: [mon, tue, wed, thu, fri]', 'workdays: &days [mon, tue, wed, thu, fri]')
      .replace('days: [mon, tue, wed, thu, fri]', 'days: *days');
    expect(parseCapabilities(text, 'aliases.yaml', NOW).ok).toBe(true);
  });

  it('on the CLI: validate and check exit 0 or 2 with no stack trace', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const file = `${process.env.TMPDIR ?? '/tmp'}/promise-fuzz-${process.pid}.yaml`;
        writeFileSync(file, stringify(ms.reduce<unknown>((d, m) => mutate(d, m), specData)));
        for (const args of [
          ['validate', file],
          ['check', '--capabilities', file, '--sku', 'PUMP-100', '--qty', '5', '--to', 'DE', '--by', '2026-12-04', '--no-log'],
        ]) {
          const r = runCli(args);
          expect([0, 1, 2, 3]).toContain(r.code);
          expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
          if (r.code === 2) expect(r.stderr).toMatch(/promise-fuzz-\d+\.yaml:\d+:\d+: /);
        }
      }),
      { numRuns: CLI_RUNS },
    );
  });
});

const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.constantFrom('-5', '0', '2.5', '1e400', "'; DROP TABLE checks;--", '2026-13-01', '99999-01-01'),
);

describe('promise input fuzzing', () => {
  it('random fields: a clear message or a verdict, never a throw', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('sku', 'qty', 'to', 'by', 'method', 'from', 'service', 'region', 'response_hours', 'hours'), junk),
        (fields) => {
          const parsed = parsePromise(fields);
          if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(0);
          else expect(['feasible', 'at_risk', 'infeasible']).toContain(check(model, parsed.promise, Ledger.of([]), NOW).verdict);
        },
      ),
    );
  });

  it('random flags on the CLI: exit 0-3, one line on failure, no stack trace', () => {
    fc.assert(
      fc.property(fc.record({ sku: junk, qty: junk, to: junk, by: junk }), (f) => {
        const args = ['check', '--capabilities', SPEC_EXAMPLE, '--no-log', '--now', '2026-11-23T10:00'];
        for (const [k, v] of Object.entries(f)) args.push(`--${k}=${String(v)}`);
        const r = runCli(args);
        expect([0, 1, 2, 3]).toContain(r.code);
        if (r.code === 2) expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      }),
      { numRuns: CLI_RUNS },
    );
  });
});

const SKUS = ['PUMP-100', 'SEAL-KIT', 'PUMP-900'];
const REGIONS = ['DE', 'AT', 'CH', 'FR', 'NL', 'GB'];
const deliveryPromise: fc.Arbitrary<DeliveryPromise> = fc.record({
  kind: fc.constant('delivery' as const),
  sku: fc.constantFrom(...SKUS),
  qty: fc.integer({ min: 1, max: 400 }),
  to: fc.constantFrom(...REGIONS),
  by: fc.integer({ min: 0, max: 120 }).map((d) => new Date(Date.UTC(2026, 10, 23 + d)).toISOString().slice(0, 10)),
  method: fc.option(fc.constantFrom('standard', 'express'), { nil: undefined }),
  from: fc.option(fc.constantFrom('berlin', 'rotterdam'), { nil: undefined }),
});

describe('invariants of the core', () => {
  it('a feasible plan never arrives after `by`, and every alternative re-checks feasible', () => {
    fc.assert(
      fc.property(deliveryPromise, (p) => {
        const r = check(model, p, Ledger.of([]), NOW);
        if (r.verdict === 'feasible') expect((r.plan as DeliveryPlan).delivery_date <= p.by).toBe(true);
        for (const alt of r.alternatives) expect(check(model, alt.promise, Ledger.of([]), NOW).verdict).toBe('feasible');
      }),
    );
  });

  it('committed demand never drives ATP negative, nor capacity past its limit', () => {
    fc.assert(
      fc.property(fc.array(deliveryPromise, { maxLength: 25 }), (promises) => {
        const ledger = new Ledger();
        const holds = [];
        for (const p of promises) {
          const r = check(model, p, ledger, NOW);
          if (r.verdict !== 'feasible') continue;
          for (const h of r.holds) ledger.add(h);
          holds.push(...r.holds);
        }
        for (const sku of model.products.skus()) {
          const pm = model.products.get(sku)!;
          for (const [loc, supply] of pm.supply) {
            const prof = atpProfile(supply.onHand, supply.incoming, ledger.stockDemand(loc, sku));
            expect(Math.min(prof.base, ...prof.suffixMin)).toBeGreaterThanOrEqual(0);
          }
          const mto = pm.product.make_to_order;
          if (mto)
            for (const h of holds.filter((x) => x.sku === sku && x.source === 'make_to_order')) {
              expect(ledger.capacityUsed(mto.location, sku, h.day - ((((h.day + 3) % 7) + 7) % 7))).toBeLessThanOrEqual(mto.capacity_per_week);
            }
        }
      }),
    );
  });

  it('adding stock never turns feasible into infeasible', () => {
    fc.assert(
      fc.property(deliveryPromise, fc.constantFrom('berlin', 'rotterdam'), fc.integer({ min: 1, max: 500 }), (p, loc, extra) => {
        const before = check(model, p, Ledger.of([]), NOW).verdict;
        const caps = structuredClone({ ...specCaps.caps, products: specCaps.catalogue.skus().map((sku) => specCaps.catalogue.get(sku)!) }) as Capabilities;
        const product = caps.products.find((x) => x.sku === p.sku)!;
        product.stock[loc] = { on_hand: (product.stock[loc]?.on_hand ?? 0) + extra, incoming: product.stock[loc]?.incoming ?? [] };
        const after = check(compileAll(caps), p, Ledger.of([]), NOW).verdict;
        if (before === 'feasible') expect(after).toBe('feasible');
        if (before === 'at_risk') expect(after).not.toBe('infeasible');
      }),
    );
  });

  it('moving `by` later never turns feasible into infeasible', () => {
    fc.assert(
      fc.property(deliveryPromise, fc.integer({ min: 1, max: 60 }), (p, later) => {
        const before = check(model, p, Ledger.of([]), NOW).verdict;
        const by = new Date(Date.parse(`${p.by}T00:00:00Z`) + later * 86_400_000).toISOString().slice(0, 10);
        const after = check(model, { ...p, by }, Ledger.of([]), NOW).verdict;
        if (before === 'feasible') expect(after).toBe('feasible');
        if (before === 'at_risk') expect(after).not.toBe('infeasible');
      }),
    );
  });

  it('a headline never contradicts its own alternatives: what they deliver from one place by `by`, the check finds', () => {
    const sydney = company('sydney', '2026-10-12T09:00');
    const cases = [
      { m: model, now: NOW, promise: deliveryPromise },
      {
        m: sydney.model,
        now: sydney.now,
        promise: fc.record({
          kind: fc.constant('delivery' as const),
          sku: fc.constantFrom('TURBINE-X', 'GASKET'),
          // Small quantities often: stock and building meet there (TURBINE-X: 1 on hand, 3 a week).
          qty: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 260 })),
          to: fc.constantFrom('NSW', 'VIC', 'WA'),
          by: fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.UTC(2026, 9, 12 + d)).toISOString().slice(0, 10)),
          method: fc.option(fc.constantFrom('truck', 'air', 'rail'), { nil: undefined }),
          from: fc.option(fc.constantFrom('sydney', 'perth'), { nil: undefined }),
        }),
      },
    ];
    for (const { m, now, promise } of cases) {
      fc.assert(
        fc.property(promise, (p) => {
          const r = check(m, p, Ledger.of([]), now);
          for (const alt of r.alternatives) {
            const parts = [{ promise: alt.promise, plan: alt.plan }, ...(alt.then ? [alt.then] : [])] as { promise: DeliveryPromise; plan: DeliveryPlan }[];
            const oneLocation = new Set(parts.map((x) => x.plan.from)).size === 1;
            const inTime = parts.every((x) => x.plan.delivery_date <= p.by);
            const pinnedKept = parts.every((x) => (p.from === undefined || x.plan.from === p.from) && (p.method === undefined || x.plan.method === p.method));
            const whole = parts.reduce((n, x) => n + x.promise.qty, 0) >= p.qty;
            if (oneLocation && inTime && pinnedKept && whole) expect(r.verdict, `${alt.kind}: ${alt.summary}`).not.toBe('infeasible');
          }
        }),
      );
    }
  });
});
