// promise replay, in process: the recorded capabilities, now and commitments, not today's.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany, NOW } from '../../../test/helpers/logged.js';
import { runRelease } from '../release/release.js';
import { runReplay } from './replay.js';

const dir = tempDir();

describe('promise replay', () => {
  it('replays the same after the file changed and the commitment it saw was released', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'replay');
    const first = await check(100);
    await commit(first.id);
    const second = await check(30); // sees the commitment: berlin has 20 left, so rotterdam
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 1'));
    await inProcess((io) => runRelease(String(first.id), { log, now: NOW }, io));
    const r = await inProcess((io) => runReplay(String(second.id), { log }, io));
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(new RegExp(`^Check ${second.id} replays the same: feasible`));
    expect((await inProcess((io) => runReplay('999', { log }, io))).stderr).toBe(`promise: no check 999 in ${log}\n`);
  });
});
