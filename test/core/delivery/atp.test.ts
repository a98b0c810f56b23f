import { describe, expect, it } from 'vitest';
import { atp, atpProfile, firstDayWithAtp } from '../../../src/core/delivery/atp.js';

// Days are plain integers here: the ATP arithmetic knows nothing of calendars.
describe('available-to-promise', () => {
  it('on hand only', () => {
    const p = atpProfile(100, [], []);
    expect(atp(p, 0)).toBe(100);
    expect(firstDayWithAtp(p, 100, 5)).toBe(5);
    expect(firstDayWithAtp(p, 101, 5)).toBeNull();
  });

  it('incoming after a shortage: the qty can ship from the day supply is ready', () => {
    const p = atpProfile(40, [{ ready: 20, qty: 200 }], []);
    expect(atp(p, 10)).toBe(40);
    expect(atp(p, 20)).toBe(240);
    expect(firstDayWithAtp(p, 100, 10)).toBe(20);
    expect(firstDayWithAtp(p, 240, 10)).toBe(20);
    expect(firstDayWithAtp(p, 241, 10)).toBeNull();
  });

  it('a commitment blocks later checks from taking its stock', () => {
    const p = atpProfile(100, [], [{ day: 10, qty: 70 }]);
    expect(atp(p, 5)).toBe(30);
    expect(atp(p, 15)).toBe(30);
  });

  it('look-ahead minimum: a later commitment reserves stock today', () => {
    // 100 now, 50 arrive on day 20, a commitment ships 120 on day 25.
    // Net: 100 until 20, 150 from 20, 30 from 25: only 30 can be promised at any time.
    const p = atpProfile(100, [{ ready: 20, qty: 50 }], [{ day: 25, qty: 120 }]);
    expect(atp(p, 1)).toBe(30);
    expect(atp(p, 21)).toBe(30);
    expect(atp(p, 30)).toBe(30);
    expect(firstDayWithAtp(p, 31, 0)).toBeNull();
  });

  it('a commitment before incoming supply: the gap is filled when supply arrives', () => {
    // 50 on hand, commitment of 50 ships day 5, 100 arrive day 10.
    const p = atpProfile(50, [{ ready: 10, qty: 100 }], [{ day: 5, qty: 50 }]);
    expect(atp(p, 1)).toBe(0);
    expect(atp(p, 10)).toBe(100);
    expect(firstDayWithAtp(p, 60, 1)).toBe(10);
  });

  it('several events on the same day net out', () => {
    const p = atpProfile(
      0,
      [
        { ready: 3, qty: 10 },
        { ready: 3, qty: 5 },
      ],
      [{ day: 3, qty: 12 }],
    );
    expect(atp(p, 3)).toBe(3);
  });

  it('never reports negative ATP when commitments exceed supply', () => {
    const p = atpProfile(10, [], [{ day: 2, qty: 30 }]);
    expect(atp(p, 0)).toBe(0);
  });
});
