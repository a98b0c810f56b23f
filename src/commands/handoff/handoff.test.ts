// promise handoff in every format, each parsed back: CSV by a CSV parser, the
// iCalendar feed by an iCalendar parser (not by string matching).

import { mkdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import ICAL from 'ical.js';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { runCheck } from '../check/check.js';
import { runCommit } from '../commit/commit.js';
import { runConfirm } from '../confirm/confirm.js';
import { runLogCopy } from '../log/copy/copyLog.js';
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

/** RFC 5545 §3.1 as a strict parser reads it: CRLF lines of at most 75 octets, no control character but HTAB, folded lines start with a space. */
function strictLines(ics: string): string[] {
  expect(ics.endsWith('\r\n')).toBe(true);
  const lines = ics.slice(0, -2).split('\r\n');
  for (const line of lines) {
    expect(line, JSON.stringify(line)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f]/);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  }
  const unfolded: string[] = [];
  for (const l of lines) {
    if (l.startsWith(' ')) unfolded[unfolded.length - 1] += l.slice(1);
    else unfolded.push(l);
  }
  return unfolded;
}

describe('handoff --format ics, as strict clients read it (issue 22)', async () => {
  const home = join(dir, 'ics');
  mkdirSync(home);
  const own = join(home, 'own.db');
  const at = async (extra: Record<string, unknown>, commit: Record<string, string> = {}) => {
    const r = await inProcess((io) => runCheck({ ...base, log: own, input: false, to: 'NJ', by: '2026-12-04', json: true, ...extra }, io));
    const { id } = JSON.parse(r.stdout);
    expect((await inProcess((io) => runCommit(String(id), { log: own, now: base.now, ...commit }, io))).code).toBe(0);
    return id as number;
  };
  const hostile = await at({ sku: 'SEAL', qty: '1' }, { note: 'bell\u0007 escape\u001b[31m red\rlone CR\r\nCRLF\u007f del\ttab' });
  const quote = await at({ sku: 'PUMP-XL', qty: '1' }, { holdUntil: '2026-11-27' });
  const ics = async (logPath: string, cwd?: string) => {
    const before = process.cwd();
    if (cwd) process.chdir(cwd);
    try {
      return (await inProcess((io) => runHandoff({ log: logPath, now: base.now, format: 'ics' }, io))).stdout;
    } finally {
      process.chdir(before);
    }
  };
  const uids = (text: string) => strictLines(text).filter((l) => l.startsWith('UID:'));

  it('a note with a lone CR, ESC, BEL and DEL: no control character reaches the feed, line breaks are \\n', async () => {
    const lines = strictLines(await ics(own));
    const description = lines.find((l) => l.startsWith('DESCRIPTION:') && l.includes(`Check ${hostile}`))!;
    expect(description).toContain('Note: bell escape[31m red\\nlone CR\\nCRLF del\ttab');
  });

  it('UIDs do not depend on how --log is written, nor on the copy of the log', async () => {
    const reference = uids(await ics(own));
    expect(reference).toHaveLength(2);
    expect(uids(await ics(relative(home, own), home))).toEqual(reference);
    const link = join(dir, 'ics-link.db');
    symlinkSync(own, link);
    expect(uids(await ics(link))).toEqual(reference);
    const copy = join(dir, 'ics-copy.db');
    expect((await inProcess((io) => runLogCopy({ log: own, to: copy }, io))).code).toBe(0);
    expect(uids(await ics(copy))).toEqual(reference);
    // Appended after another log's checks: new ids, the same events.
    const other = join(dir, 'ics-other.db');
    await inProcess((io) => runCheck({ ...base, log: other, input: false, sku: 'SEAL', qty: '1', to: 'NJ', by: '2026-12-04', json: true }, io));
    // --append re-checks what it brings on the company's capabilities: both still fit there.
    expect((await inProcess((io) => runLogCopy({ log: own, to: other, append: true, capabilities: base.capabilities, now: base.now }, io))).code).toBe(0);
    expect(uids(await ics(other))).toEqual(reference);
  });

  it('SEQUENCE and LAST-MODIFIED: a confirmed quote is a changed event', async () => {
    const event = (text: string, id: number) => {
      const lines = strictLines(text);
      const start = lines.findIndex((l) => l.startsWith('DESCRIPTION:') && l.includes(`Check ${id}`));
      const begin = lines.lastIndexOf('BEGIN:VEVENT', start);
      return lines.slice(begin, lines.indexOf('END:VEVENT', begin));
    };
    const before = event(await ics(own), quote);
    expect(before).toContain('SEQUENCE:0');
    expect(before).toContain('STATUS:TENTATIVE');
    const modified = before.find((l) => l.startsWith('LAST-MODIFIED:'))!;
    await new Promise((r) => setTimeout(r, 1100));
    expect((await inProcess((io) => runConfirm(String(quote), { log: own, now: base.now }, io))).code).toBe(0);
    const after = event(await ics(own), quote);
    expect(after).toContain('SEQUENCE:1');
    expect(after).toContain('STATUS:CONFIRMED');
    expect(after.find((l) => l.startsWith('LAST-MODIFIED:'))! > modified).toBe(true);
    expect(after.find((l) => l.startsWith('UID:'))).toBe(before.find((l) => l.startsWith('UID:')));
    expect(event(await ics(own), hostile)).toContain('SEQUENCE:0');
  });
});

const csvRows = (text: string) => Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
