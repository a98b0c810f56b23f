// promise init at a real terminal (a pseudo-terminal through util-linux
// `script`): a two-location company answered question by question, and the
// file it writes is the company the answers describe.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCapabilities } from '../src/capabilities/load.js';
import { BIN, tempDir } from './helpers/cli.js';

const dir = tempDir();
const DOWN = '\u001b[B';

describe('promise init at a terminal', () => {
  it('asks, with sensible defaults, and writes the company its answers describe', async () => {
    const file = join(dir, 'harbour.yaml');
    const child = spawn('script', ['-qfec', `node ${BIN} init ${file} --now 2026-11-23T10:00`, '/dev/null'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', TZ: 'Australia/Sydney' },
    });
    let screen = '';
    child.stdout.on('data', (d) => (screen += d));
    let seen = 0;
    /** Waits for the next prompt containing `text`, then answers it. */
    const answer = async (text: string, keys: string) => {
      for (let i = 0; i < 400; i++) {
        const at = screen.indexOf(text, seen);
        if (at >= 0) {
          seen = at + text.length;
          await new Promise((r) => setTimeout(r, 30));
          child.stdin.write(keys);
          return;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no prompt "${text}" in:\n${screen.slice(-2000)}`);
    };
    const started = Date.now();
    await answer('Company name', 'Harbour Pumps\r');
    await answer('Time zone', '\r'); // the machine's zone is the default
    await answer('Workdays', '\r'); // Monday to Friday
    await answer('AU for Australia/Sydney', '\r'); // the country that zone lies in
    await answer('Which part of it?', `${DOWN}${DOWN}\r`); // AU-NSW
    await answer('Location 1: id', 'sydney\r');
    await answer('Location 1: name', '\r');
    await answer('Order cut-off', '\r');
    await answer('Handling workdays', '\r');
    await answer('regions it delivers to', 'NSW, VIC\r');
    await answer('Lane: method', 'truck\r');
    await answer('Lane: transit workdays', '1\r');
    await answer('Another lane from sydney?', 'n\r');
    await answer('Another location?', 'y\r');
    await answer('Location 2: id', 'perth\r');
    await answer('Location 2: name', 'Perth DC\r');
    await answer('Order cut-off', '12:00\r');
    await answer('Handling workdays', '2\r');
    await answer('regions it delivers to', 'WA\r');
    await answer('Lane: method', 'rail\r');
    await answer('Lane: transit workdays', '\r');
    await answer('Another lane from perth?', 'n\r');
    await answer('Another location?', 'n\r');
    await answer('Add a first product now', 'y\r');
    await answer('SKU', 'GASKET\r');
    await answer('Product name', 'Gasket\r');
    await answer('On hand at sydney', '30\r');
    const code = await new Promise((resolve) => child.on('close', resolve));
    const seconds = (Date.now() - started) / 1000;
    expect(screen).toContain(`Wrote ${file}: 2 location(s), 1 product(s), 0 service(s)`);
    expect(code).toBe(0);
    expect(seconds).toBeGreaterThan(0);
    const parsed = parseCapabilities(readFileSync(file, 'utf8'), file, new Date('2026-11-23T00:00:00Z'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const caps = parsed.value.caps;
    expect(caps).toMatchObject({
      company: 'Harbour Pumps',
      timezone: 'Australia/Sydney',
      calendar: { workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], years: [2026, 2027], public_holidays: ['AU-NSW'] },
      locations: [
        { id: 'sydney', name: 'sydney', cutoff: '14:00', handling_days: 1, lanes: [{ to: ['NSW', 'VIC'], method: 'truck', transit_days: 1 }] },
        { id: 'perth', name: 'Perth DC', cutoff: '12:00', handling_days: 2, lanes: [{ to: ['WA'], method: 'rail', transit_days: 2 }] },
      ],
      products: [{ sku: 'GASKET', name: 'Gasket', stock: { sydney: { on_hand: 30 } } }],
    });
    expect(caps.calendar.holidays).toContain('2026-12-25'); // NSW public holidays, no hand-typing
  });
});
