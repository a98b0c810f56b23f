// promise release, in process.
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany, NOW } from '../../../test/helpers/logged.js';
import { runRelease } from './release.js';

const dir = tempDir();

describe('promise release', () => {
  it('frees what a commitment held; only an open commitment can be released', async () => {
    const { check, commit, log } = loggedCompany(dir, 'release');
    const held = await check(120);
    expect((await commit(held.id)).code).toBe(0);
    expect((await check(60)).verdict).toBe('infeasible');
    const release = (id: number) => inProcess((io) => runRelease(String(id), { log, now: NOW }, io));
    expect(await release(held.id)).toMatchObject({ code: 0, stdout: `Check ${held.id} released: its stock and capacity are free again\n` });
    expect((await check(60)).verdict).toBe('feasible');
    expect(await release(held.id)).toMatchObject({ code: 2, stderr: `promise: check ${held.id} is already released\n` });
    const never = await check(1);
    expect((await release(never.id)).stderr).toBe(`promise: check ${never.id} is not committed\n`);
  });
});
