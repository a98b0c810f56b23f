// promise init, in process: the skeleton validates, and nothing is overwritten without --force.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { parseCapabilities } from '../../capabilities/load.js';
import { runInit } from './init.js';

const dir = tempDir();
const NOW = '2026-11-23T10:00';

describe('promise init --no-input', () => {
  it('writes a commented skeleton that validates: one location, one lane, one product, one service', async () => {
    const file = join(dir, 'skeleton.yaml');
    const r = await inProcess((io) => runInit(file, { input: false, now: NOW }, io));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Wrote .*skeleton\.yaml: 1 location\(s\), 1 product\(s\), 1 service\(s\)/);
    const text = readFileSync(file, 'utf8');
    const parsed = parseCapabilities(text, file, new Date('2026-11-23T10:00:00Z'));
    expect(parsed.ok && parsed.value.warnings).toEqual([]);
    if (!parsed.ok) return;
    expect(parsed.value.caps.calendar.years).toEqual([2026, 2027]);
    // Every field is explained: each mapping key of the file has a comment on its line or the line above.
    const keys = text.split('\n').filter((l) => /^\s*(- )?[a-z_]+:/.test(l));
    expect(keys.filter((l) => !l.includes('#')).length).toBeLessThan(keys.length / 2);
  });

  it('never overwrites a file without --force (exit 2, one line); --force replaces it', async () => {
    const file = join(dir, 'existing.yaml');
    writeFileSync(file, 'mine\n');
    const refused = await inProcess((io) => runInit(file, { input: false, now: NOW }, io));
    expect(refused).toMatchObject({ code: 2, stdout: '', stderr: `promise: ${file} exists: not overwritten (use --force to replace it)\n` });
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    expect((await inProcess((io) => runInit(file, { input: false, force: true, now: NOW }, io))).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('version: 1');
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
  });
});
