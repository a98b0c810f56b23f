// The hand-off's content negotiation (src/serve/http.ts negotiate): what an
// Accept header prefers, by q-value, as RFC 9110 reads it.
import { describe, expect, it } from 'vitest';
import { negotiate } from '../src/serve/http.js';

const TYPES = { 'application/json': 'json', 'text/calendar': 'ics', 'text/csv': 'csv' } as const;

describe('negotiate', () => {
  it('takes the highest q, then the order the server offers; no header is the first', () => {
    expect(negotiate(undefined, TYPES)).toBe('json');
    expect(negotiate('text/csv', TYPES)).toBe('csv');
    expect(negotiate('text/csv;q=0.5, application/json', TYPES)).toBe('json');
    expect(negotiate('application/json;q=0.2, text/calendar;q=0.9', TYPES)).toBe('ics');
    expect(negotiate('Text/CSV ; Q=0.8, */*;q=0.1', TYPES)).toBe('csv');
  });

  it('reads wildcards, refuses q=0, and answers null when nothing offered fits (406)', () => {
    expect(negotiate('*/*', TYPES)).toBe('json');
    expect(negotiate('text/*', TYPES)).toBe('ics');
    expect(negotiate('text/*, text/csv;q=0', TYPES)).toBe('ics');
    expect(negotiate('application/json;q=0, text/csv;q=0.1', TYPES)).toBe('csv');
    expect(negotiate('image/png', TYPES)).toBeNull();
    expect(negotiate('text/csv;q=0', TYPES)).toBeNull();
  });
});
