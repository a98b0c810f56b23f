// What a check keeps between the lines of a batch (issue 25): lanes per location,
// the regions a set of locations serves. Kept per location and per model, so a
// second set of capabilities with the same ids never gets the first one's answers.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/core/checkPromise.js';
import { Ledger } from '../../../src/core/commitments/ledger.js';
import { lanesTo } from '../../../src/core/model.js';
import { berlin, model } from '../../helpers/model.js';

const NOW = berlin('2026-11-23T10:00');
const toFrance = (m: ReturnType<typeof model>) =>
  check(m, { kind: 'delivery', sku: 'WIDGET', qty: 1, to: 'FR', by: '2026-12-18' }, Ledger.of([]), NOW).reasons.find((r) => r.rule === 'lane');

describe('kept between the lines of a batch', () => {
  it('lanesTo answers a question asked again with the lanes it found the first time', () => {
    const main = model().locations.get('main')!.location;
    const first = lanesTo(main, 'DE');
    expect(first.map((l) => l.method)).toEqual(['standard']);
    expect(lanesTo(main, 'DE')).toBe(first);
    // Another method or region is another question.
    expect(lanesTo(main, 'DE', 'express')).toEqual([]);
    expect(lanesTo(main, 'DE', 'standard')).not.toBe(first);
    expect(lanesTo(main, 'FR')).toEqual([]);
  });

  it('a region no lane reaches names the regions of its own capabilities, whichever were checked before', () => {
    const onlyDe = model();
    const deAndAt = model((raw) => raw.locations[0].lanes[0].to.push('AT'));
    expect(toFrance(onlyDe)?.message).toBe('no lane reaches FR from main; WIDGET ships to DE');
    expect(toFrance(deAndAt)?.message).toBe('no lane reaches FR from main; WIDGET ships to AT, DE');
    expect(toFrance(onlyDe)?.message).toBe('no lane reaches FR from main; WIDGET ships to DE');
  });
});
