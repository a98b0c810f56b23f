// The patch changes only the numbers: comments, flow maps and layout stay byte for
// byte; a figure that comes from a feed is named with its feed and column instead.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SPEC_EXAMPLE } from '../../../test/helpers/cli.js';
import type { CalibrationRow } from '../../core/learn/calibrate.js';
import { applySuggestions, unifiedDiff } from './patch.js';

const text = readFileSync(SPEC_EXAMPLE, 'utf8');
const row = (factor: CalibrationRow['factor'], key: string, declared: number, suggested: number | null): CalibrationRow => ({
  factor,
  key,
  declared,
  lateness: null,
  suggested,
  finding: suggested === null ? 'not_enough_evidence' : suggested > declared ? 'too_fast' : 'cautious',
});
const locations = [
  {
    id: 'berlin',
    cutoff: '14:00',
    handling_days: 1,
    lanes: [
      { to: ['DE', 'AT', 'CH'], method: 'standard', transit_days: 2 },
      { to: ['DE'], method: 'express', transit_days: 1 },
      { to: ['FR', 'NL', 'BE'], method: 'standard', transit_days: 4 },
    ],
  },
  {
    id: 'rotterdam',
    cutoff: '12:00',
    handling_days: 2,
    lanes: [
      { to: ['NL', 'BE', 'FR', 'DE'], method: 'standard', transit_days: 2 },
      { to: ['GB'], method: 'standard', transit_days: 5 },
    ],
  },
];

describe('calibrate --format patch', () => {
  it('rewrites only the numbers, in flow and block maps, and names feed-backed figures', () => {
    const patched = applySuggestions(text, { locations, supply: { products: 'products.csv' } }, [
      row('lane', 'berlin express DE', 1, 2),
      row('make_to_order', 'PUMP-900', 15, 18),
      // Not in the YAML: its lead time comes from the products feed.
      row('replenishment', 'VALVE-9', 10, 12),
    ]);
    expect(patched.edits).toEqual([
      { what: 'berlin express lane to DE transit_days', from: 1, to: 2 },
      { what: 'PUMP-900 make_to_order.lead_days', from: 15, to: 18 },
    ]);
    expect(patched.feedEdits).toEqual([{ sku: 'VALVE-9', feed: 'products.csv', column: 'replenishment_days', from: 10, to: 12 }]);
    expect(patched.text).toBe(
      text
        .replace('{ to: [DE], method: express, transit_days: 1 }', '{ to: [DE], method: express, transit_days: 2 }')
        .replace('lead_days: 15              # workdays', 'lead_days: 18              # workdays'),
    );
    const diff = unifiedDiff(text, patched.text, 'capabilities.yaml');
    expect(diff.split('\n').slice(0, 3)).toEqual(['--- a/capabilities.yaml', '+++ b/capabilities.yaml', '@@ -18,7 +18,7 @@']);
    expect(diff).toContain(
      '-      lead_days: 15              # workdays from order to ready-to-ship\n+      lead_days: 18              # workdays from order to ready-to-ship\n',
    );
  });

  it('nothing to change: an empty diff', () => {
    expect(unifiedDiff(text, applySuggestions(text, { locations }, [row('lane', 'berlin express DE', 1, null)]).text, 'c.yaml')).toBe('');
  });
});
