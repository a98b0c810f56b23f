// A rep at a real terminal: the built CLI in a pseudo-terminal (util-linux
// `script`), prompting for what the flags left out.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, SPEC_EXAMPLE } from './helpers/cli.js';

describe('prompts in a pseudo-terminal', () => {
  it('asks for the missing date, offers the earliest safe one, and checks it', async () => {
    const cmd = `node ${BIN} check --capabilities ${SPEC_EXAMPLE} --sku PUMP-100 --qty 50 --to DE --now 2026-11-23T10:00 --no-log`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
    let screen = '';
    child.stdout.on('data', (d) => (screen += d));
    const until = async (text: string) => {
      for (let i = 0; i < 200 && !screen.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
      expect(screen).toContain(text);
    };
    await until('Deliver by');
    expect(screen).toContain('2026-11-26'); // the default: earliest delivery plus one safety day
    child.stdin.write('\r');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(screen).toContain('FEASIBLE  50 × PUMP-100 to DE by 2026-11-26');
    expect(code).toBe(0);
  });

  it('--no-input never prompts, even at a terminal', async () => {
    const cmd = `node ${BIN} check --capabilities ${SPEC_EXAMPLE} --sku PUMP-100 --no-log --no-input`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let screen = '';
    child.stdout.on('data', (d) => (screen += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(screen).toContain('missing --qty, --to, --by');
  });
});
