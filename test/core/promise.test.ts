// The promise schemas are built on first use (src/core/promise.ts); what they accept and how
// they are shared must be as when they were built at the top level.
import { describe, expect, it } from 'vitest';
import { DeliveryPromise, OrderPromise, parsePromise } from '../../src/core/promise.js';

describe('the promise schemas, built on first use', () => {
  it("share a delivery's qty and destination with an order, object for object (the API's descriptions attach to them)", () => {
    const order = OrderPromise.shape;
    const delivery = DeliveryPromise.shape;
    expect(order.lines.def.element.shape.qty).toBe(delivery.qty);
    for (const field of ['to', 'by', 'method', 'from', 'customer'] as const) expect(order[field], field).toBe(delivery[field]);
    // Each object its own sku, as before.
    expect(order.lines.def.element.shape.sku).not.toBe(delivery.sku);
  });

  it('stand for the schema in every use: parse, shape, the same object each time', () => {
    expect(DeliveryPromise.shape).toBe(DeliveryPromise.shape);
    expect(DeliveryPromise.safeParse({ sku: 'A', qty: '2', to: 'DE', by: '2026-12-04' })).toEqual({
      success: true,
      data: { kind: 'delivery', sku: 'A', qty: 2, to: 'DE', by: '2026-12-04' },
    });
    expect(parsePromise({ lines: [{ sku: 'A', qty: '1.5' }], to: 'DE', by: '2026-12-04' })).toEqual({
      ok: false,
      message: 'line 1: qty must be a whole number',
    });
  });

  it("refuse a field an order's line does not have, in the words of a top-level one", () => {
    expect(
      parsePromise({
        lines: [
          { sku: 'A', qty: 1 },
          { sku: 'B', qty: 2, qtty: 3 },
        ],
        to: 'DE',
        by: '2026-12-04',
      }),
    ).toEqual({
      ok: false,
      message: 'line 2: unknown field "qtty" (did you mean "qty"?)',
    });
    expect(parsePromise({ lines: [{ sku: 'A', qty: 1, colour: 'red' }], to: 'DE', by: '2026-12-04' })).toEqual({
      ok: false,
      message: 'line 1: unknown field "colour"',
    });
  });
});
