// The hand-off's iCalendar feed through strict parsers no one here wrote
// (npm run test:clients): python's vobject and icalendar from Debian
// (python3-vobject, python3-icalendar; .ci/run installs them). A note with a lone
// CR, ESC, BEL, DEL and a tab, and a customer with a comma and a semicolon, must
// come back whole, as text, with every event's UID, SEQUENCE and LAST-MODIFIED.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check/check.js';
import { runCommit } from '../../src/commands/commit/commit.js';
import { runHandoff } from '../../src/commands/handoff/handoff.js';
import { fixture, tempDir } from '../helpers/cli.js';
import { inProcess } from '../helpers/io.js';

const PYTHON = '/usr/bin/python3'; // Debian's, with Debian's packages (not a pyenv shim)

const READ = `
import json, sys, vobject, icalendar
text = open(sys.argv[1], newline='').read()
events = []
for cal in vobject.readComponents(text, validate=True):
    for ev in cal.vevent_list:
        events.append({'uid': ev.uid.value, 'description': ev.description.value, 'sequence': int(ev.sequence.value),
                       'last_modified': ev.last_modified.value.isoformat(), 'summary': ev.summary.value})
cal = icalendar.Calendar.from_ical(text)
errors = [str(c.errors) for c in cal.walk() if getattr(c, 'errors', None)]
uids = [str(e['UID']) for e in cal.walk('VEVENT')]
print(json.dumps({'events': events, 'icalendar_errors': errors, 'icalendar_uids': uids}))
`;

it('python vobject (validating) and icalendar read the feed, control characters and all', async () => {
  const dir = tempDir();
  const log = join(dir, 'log.db');
  const base = { capabilities: fixture('companies/newark.yaml'), log, now: '2026-11-23T09:00' };
  const r = await inProcess((io) =>
    runCheck({ ...base, input: false, json: true, sku: 'SEAL', qty: '1', to: 'NJ', by: '2026-12-04', customer: 'Kowalski, Ltd.; dock 3' }, io),
  );
  const { id } = JSON.parse(r.stdout);
  const note = 'bell\u0007 escape\u001b[31m red\rlone CR\r\nCRLF\u007f del\ttab, comma; semicolon \\ backslash';
  expect((await inProcess((io) => runCommit(String(id), { log, now: base.now, note }, io))).code).toBe(0);
  const ics = join(dir, 'handoff.ics');
  writeFileSync(ics, (await inProcess((io) => runHandoff({ log, now: base.now, format: 'ics' }, io))).stdout);
  const script = join(dir, 'read.py');
  writeFileSync(script, READ);
  const py = spawnSync(PYTHON, [script, ics], { encoding: 'utf8' });
  expect(py.error, `${PYTHON} is missing: apt-get install python3-vobject python3-icalendar`).toBeUndefined();
  expect(py.stderr).toBe('');
  const read = JSON.parse(py.stdout);
  expect(read.icalendar_errors).toEqual([]);
  expect(read.events).toHaveLength(1);
  const [event] = read.events;
  expect(read.icalendar_uids).toEqual([event.uid]);
  expect(event.summary).toBe(`Ship 1 × SEAL to NJ from newark (check ${id} for Kowalski, Ltd.; dock 3)`);
  expect(event.description).toContain('Note: bell escape[31m red\nlone CR\nCRLF del\ttab, comma; semicolon \\ backslash');
  expect(event.sequence).toBe(0);
  expect(Date.parse(event.last_modified)).toBeGreaterThan(Date.now() - 60_000);
});
