// promise handoff in every format, each parsed back: CSV by a CSV parser, the
// iCalendar feed by an iCalendar parser (not by string matching).

import { join } from 'node:path';
import ICAL from 'ical.js';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { runCheck } from '../check/check.js';
import { runCommit } from '../commit/commit.js';
import { type HandoffOptions, runHandoff } from './handoff.js';

const dir = tempDir();
const log = join(dir, 'handoff.db');
const base = { capabilities: fixture('companies/newark.yaml'), log, now: '2026-11-23T09:00' };

async function made(extra: Record<string, unknown>, commit: Record<string, string> = {}) {
  const r = await inProcess((io) => runCheck({ ...base, input: false, to: 'NJ', by: '2026-12-04', json: true, ...extra }, io));
  const { id } = JSON.parse(r.stdout);
  expect((await inProcess((io) => runCommit(String(id), { log, now: base.now, ...commit }, io))).code).toBe(0);
  return id as number;
}

const note = 'Needs it before the line shutdown on the 9th; call Zoë, dock 3 — «fragile», ask for “Kowalski, Ltd.” at the gate please';
const handoff = (extra: Partial<HandoffOptions> = {}) => inProcess((io) => runHandoff({ log, now: base.now, format: 'table', ...extra }, io));

describe('promise handoff', async () => {
  const single = await made({ sku: 'SEAL', qty: '5', customer: 'initech' }, { note });
  const order = await made({ line: ['PUMP:60', 'MOTOR:2'], customer: 'ACME, Inc.' });
  const quote = await made({ sku: 'PUMP-XL', qty: '10' }, { holdUntil: '2026-11-27' });

  it('json: one entry per shipment, in ship-date order, with the status and the note', async () => {
    const rows = JSON.parse((await handoff({ format: 'json' })).stdout);
    expect(rows.map((r: { id: number; part: number; what: string; ship_date: string }) => [r.id, r.part, r.what, r.ship_date])).toEqual([
      [single, 1, '5 × SEAL to NJ', '2026-11-24'],
      [order, 1, '60 × PUMP to NJ', '2026-11-24'],
      [quote, 1, '10 × PUMP-XL to NJ', '2026-11-24'],
      [order, 2, '2 × MOTOR to NJ', '2026-12-01'],
    ]);
    expect(rows[0]).toMatchObject({ customer: 'initech', location: 'newark', method: 'truck', delivery_date: '2026-11-25', status: 'open', note });
    expect(rows[2]).toMatchObject({ status: 'held', hold_until: '2026-11-27' });
  });

  it('csv parses back to the same rows; --from, --since and --until narrow it', async () => {
    const rows = csvRows((await handoff({ format: 'csv' })).stdout) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ id: String(single), note, customer: 'initech' });
    expect(rows[1]!.customer).toBe('ACME, Inc.');
    const december = csvRows((await handoff({ format: 'csv', since: '2026-11-25', until: '2026-12-31' })).stdout) as Record<string, string>[];
    expect(december.map((r) => r.what)).toEqual(['2 × MOTOR to NJ']);
    expect(csvRows((await handoff({ format: 'csv', from: 'reno' })).stdout)).toEqual([]);
  });

  it('ics: an iCalendar feed with one all-day event per shipment on its ship date, stable UIDs', async () => {
    const text = (await handoff({ format: 'ics' })).stdout;
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true); // folded
    const cal = new ICAL.Component(ICAL.parse(text));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(4);
    const first = events[0]!;
    expect(first.startDate.toString()).toBe('2026-11-24');
    expect(first.startDate.isDate).toBe(true);
    expect(first.endDate.toString()).toBe('2026-11-25');
    expect(first.summary).toBe(`Ship 5 × SEAL to NJ from newark (check ${single} for initech)`);
    expect(first.description).toContain(`Note: ${note}`); // commas, semicolons and non-ASCII come back whole
    expect(events[2]!.component.getFirstPropertyValue('status')).toBe('TENTATIVE');
    // A second export names the same events: a subscribed calendar updates rather than duplicates.
    const again = new ICAL.Component(ICAL.parse((await handoff({ format: 'ics' })).stdout));
    expect(again.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('uid'))).toEqual(events.map((e) => e.uid));
    expect(new Set(events.map((e) => e.uid)).size).toBe(4);
  });

  it('an expired quote is not handed off; the table names what ships', async () => {
    const later = await inProcess((io) => runHandoff({ log, now: '2026-11-30T09:00', format: 'json' }, io));
    expect(JSON.parse(later.stdout).map((r: { id: number }) => r.id)).not.toContain(quote);
    expect((await handoff()).stdout).toContain('60 × PUMP to NJ');
    expect((await handoff({ format: 'pdf' })).stderr).toBe('promise: --format must be one of table, csv, json, ics, not "pdf"\n');
  });
});

const csvRows = (text: string) => Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
