import { describe, expect, it } from 'vitest';
import { colours } from './render.js';

describe('colours', () => {
  const terminal = { isTTY: true, write: () => true };
  const pipe = { isTTY: false, write: () => true };

  it('at a terminal: the escape codes, the outer style first, each closed', async () => {
    expect((await colours({ env: {} }, terminal))('✔ FEASIBLE', 'green', 'bold')).toBe('\u001b[32m\u001b[1m✔ FEASIBLE\u001b[22m\u001b[39m');
    expect((await colours({ env: { TERM: 'xterm' } }, terminal))('#7', 'dim')).toBe('\u001b[2m#7\u001b[22m');
  });

  it('none into a pipe, with NO_COLOR (even empty), or on a dumb terminal', async () => {
    expect((await colours({ env: {} }, pipe))('x', 'red')).toBe('x');
    expect((await colours({ env: { NO_COLOR: '' } }, terminal))('x', 'red')).toBe('x');
    expect((await colours({ env: { TERM: 'dumb', FORCE_COLOR: '1' } }, terminal))('x', 'red', 'bold')).toBe('x');
  });
});
