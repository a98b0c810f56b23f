// promise recheck, in process: a re-plan (COMMITMENTS.md). Broken (exit 1)
// against still holding with a new plan (exit 0); --apply moves the holds, and
// handoff, later checks, verify and replay all see the move.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany, NOW } from '../../../test/helpers/logged.js';
import { closeLogs } from '../../log/log.js';
import { runHandoff } from '../handoff/handoff.js';
import { runLogVerify } from '../log/verify/verify.js';
import { runReplay } from '../replay/replay.js';
import { runRecheck } from './recheck.js';

const dir = tempDir();
afterEach(() => closeLogs());

describe('promise recheck', () => {
  it('a hold that no longer fits but whose promise is still met is a new plan, not a breakage', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'moved');
    const held = await check(30);
    expect((await commit(held.id)).code).toBe(0);
    const recheck = () => inProcess((io) => runRecheck({ log, capabilities, now: NOW }, io));
    expect(await recheck()).toMatchObject({ code: 0, stdout: '1 open commitment(s): 1 hold, 0 hold with a new plan, 0 at risk, 0 broken, 0 overdue\n' });
    // berlin loses its stock; rotterdam's 40 still deliver by the 4th.
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 0'));
    const moved = await recheck();
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(
      `#${held.id} PLAN CHANGED: 30 × PUMP-100 to DE by 2026-12-04: berlin has only 0 PUMP-100 available to promise on 2026-11-24, 30 needed\n    still holds; new plan: ships from rotterdam`,
    );
    expect(moved.stdout).toContain('Dry run: promise recheck --apply moves the holds of 1 commitment(s)\n');
    // rotterdam too: now it is broken, and exit 1.
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 40', 'on_hand: 0'));
    const broken = await recheck();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`#${held.id} BROKEN: 30 × PUMP-100 to DE by 2026-12-04`);
    expect(broken.stdout).toContain('0 hold with a new plan, 0 at risk, 1 broken');
  });

  it('the issue: commit 10 from berlin, berlin drops to 0: the next check cannot take the rotterdam units the commitment now needs; --apply moves the hold', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'twice');
    const made = await check(30);
    await commit(made.id);
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 0'));
    // Before any recheck: the commitment needs 30 of rotterdam's 40; a check of 20 by the 4th cannot have them.
    const next = await check(20);
    expect(next.verdict).toBe('infeasible');
    expect((await inProcess((io) => runReplay(String(next.id), { log }, io))).code).toBe(0);
    const handoff = async () => JSON.parse((await inProcess((io) => runHandoff({ log, format: 'json', capabilities }, io))).stdout);
    expect((await handoff())[0]).toMatchObject({ location: 'berlin', ship_date: '2026-11-24' }); // a dry run writes nothing
    const applied = await inProcess((io) => runRecheck({ log, capabilities, now: NOW, apply: true }, io));
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Applied 1 new plan(s): their holds moved\n');
    expect((await handoff())[0]).toMatchObject({
      id: made.id,
      location: 'rotterdam',
      ship_date: '2026-11-25',
      delivery_date: '2026-11-27',
      note: 're-planned (was berlin, ships 2026-11-24, arrives 2026-11-25)',
    });
    // Applied, it holds: nothing left to move; later checks see rotterdam's 10 and replay exactly.
    expect((await inProcess((io) => runRecheck({ log, capabilities, now: NOW }, io))).stdout).toBe(
      '1 open commitment(s): 1 hold, 0 hold with a new plan, 0 at risk, 0 broken, 0 overdue\n',
    );
    const after = await check(10);
    expect(after.verdict).toBe('feasible');
    expect((await check(11)).verdict).toBe('infeasible');
    for (const id of [next.id, after.id]) expect((await inProcess((io) => runReplay(String(id), { log }, io))).code).toBe(0);
    expect((await inProcess((io) => runLogVerify({ log }, io))).code).toBe(0);
  });

  it('a broken commitment keeps its holds until the rep commits one of its fresh alternatives (commit ID --alternative N)', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'recommit');
    const made = await check(100);
    await commit(made.id);
    expect((await commit(made.id, { alternative: '1' })).stderr).toBe(
      `promise: check ${made.id} is already committed and not broken (holds): promise recheck says what changed\n`,
    );
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 10').replace('on_hand: 40', 'on_hand: 0'));
    const broken = await inProcess((io) => runRecheck({ log, capabilities, now: NOW, apply: true }, io));
    expect(broken.code).toBe(1);
    expect(
      broken.stdout,
    ).toContain(`#${made.id} BROKEN: 100 × PUMP-100 to DE by 2026-12-04: berlin has only 10 PUMP-100 available to promise on 2026-11-24, 100 needed
    offer instead: All 100 PUMP-100 to DE by 2026-12-17 (ships from berlin by express on 2026-12-15, arrives 2026-12-16). (promise commit ${made.id} --alternative 1)`);
    const handoff = async () => JSON.parse((await inProcess((io) => runHandoff({ log, format: 'json', capabilities }, io))).stdout);
    expect((await handoff())[0]).toMatchObject({ location: 'berlin', ship_date: '2026-11-24' }); // --apply leaves a broken one as it is
    const re = await commit(made.id, { alternative: '1', capabilities });
    expect(re).toMatchObject({
      code: 0,
      stdout: `Re-committed check ${made.id} to its alternative 1 now: All 100 PUMP-100 to DE by 2026-12-17 (ships from berlin by express on 2026-12-15, arrives 2026-12-16).\n`,
    });
    expect((await handoff())[0]).toMatchObject({ what: '100 × PUMP-100 to DE', ship_date: '2026-12-15', delivery_date: '2026-12-16' });
    expect((await inProcess((io) => runRecheck({ log, capabilities, now: NOW }, io))).stdout).toBe(
      '1 open commitment(s): 1 hold, 0 hold with a new plan, 0 at risk, 0 broken, 0 overdue\n',
    );
    expect((await inProcess((io) => runLogVerify({ log }, io))).code).toBe(0);
  });
});
