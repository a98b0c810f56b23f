// promise recheck, in process: broken (exit 1) against still holding with a new plan (exit 0).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany, NOW } from '../../../test/helpers/logged.js';
import { runRecheck } from './recheck.js';

const dir = tempDir();

describe('promise recheck', () => {
  it('a hold that no longer fits but whose promise is still met is a new plan, not a breakage', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'moved');
    const held = await check(30);
    expect((await commit(held.id)).code).toBe(0);
    const recheck = () => inProcess((io) => runRecheck({ log, capabilities, now: NOW }, io));
    expect(await recheck()).toMatchObject({ code: 0, stdout: '1 open commitment(s): 1 hold, 0 hold with a new plan, 0 broken, 0 overdue\n' });
    // berlin loses its stock; rotterdam's 40 still deliver by the 4th.
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 0'));
    const moved = await recheck();
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(
      `#${held.id} PLAN CHANGED: 30 × PUMP-100 to DE by 2026-12-04: berlin has only 0 PUMP-100 available to promise on 2026-11-24, 30 needed\n    still holds; new plan: ships from rotterdam`,
    );
    // rotterdam too: now it is broken, and exit 1.
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 40', 'on_hand: 0'));
    const broken = await recheck();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`#${held.id} BROKEN: 30 × PUMP-100 to DE by 2026-12-04`);
    expect(broken.stdout).toContain('0 hold with a new plan, 1 broken');
  });
});
