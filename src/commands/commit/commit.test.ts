// promise commit, in process: which capabilities it commits against, and why it refuses.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany } from '../../../test/helpers/logged.js';
import { runHandoff } from '../handoff/handoff.js';
import { runLog } from '../log/listChecks.js';
import { runRelease } from '../release/release.js';

const dir = tempDir();

describe('promise commit', () => {
  it('--ref keeps the order number: unique among open commitments, shown in log and handoff, free again once released', async () => {
    const { check, commit, log } = loggedCompany(dir, 'ref');
    const [a, b] = [await check(5), await check(6)];
    expect(await commit(a.id, { ref: 'SO-10023' })).toMatchObject({ code: 0, stdout: expect.stringContaining(`Committed check ${a.id} (order SO-10023):`) });
    expect(await commit(b.id, { ref: 'SO-10023' })).toMatchObject({
      code: 2,
      stderr: `promise: --ref SO-10023 is already the order number of open commitment ${a.id}\n`,
    });
    expect((await commit(b.id, { ref: 'SO 1' })).stderr).toBe('promise: --ref must be an order number of 1 to 100 characters without spaces, not "SO 1"\n');
    expect((await inProcess((io) => runLog({ log, now: '2026-11-23T10:00' }, io))).stdout).toContain('open, order SO-10023');
    const shipments = JSON.parse((await inProcess((io) => runHandoff({ log, format: 'json', now: '2026-11-23T10:00' }, io))).stdout) as {
      id: number;
      ref: string;
    }[];
    expect(shipments.find((s) => s.id === a.id)?.ref).toBe('SO-10023');
    expect((await inProcess((io) => runRelease(String(a.id), { log }, io))).code).toBe(0);
    expect((await commit(b.id, { ref: 'SO-10023' })).code).toBe(0);
  });

  it('commits against the file the check recorded, not ./capabilities.yaml or $PROMISE_CAPABILITIES', async () => {
    const { check, commit, capabilities } = loggedCompany(dir, 'recorded');
    const r = await check(150, { by: '2026-11-26' });
    expect(r.verdict).toBe('infeasible');
    // Another company's file where the rep now stands: not what the check was made on.
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'capabilities.yaml'), readFileSync(capabilities, 'utf8').replace(/PUMP-100/g, 'OTHER'));
    const cwd = process.cwd();
    process.chdir(elsewhere);
    try {
      const split = r.alternatives.findIndex((a) => a.kind === 'split') + 1;
      const ok = await commit(r.id, { alternative: String(split) });
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(`Committed check ${r.id}`);
    } finally {
      process.chdir(cwd);
    }
  });

  it('a recorded file that is gone: says so and asks for --capabilities', async () => {
    const { check, commit, capabilities } = loggedCompany(dir, 'gone');
    const r = await check(5);
    renameSync(capabilities, `${capabilities}.old`);
    const refused = await commit(r.id);
    expect(refused).toMatchObject({
      code: 2,
      stderr: `promise: check ${r.id} was made on ${capabilities}, which no longer exists; give --capabilities FILE\n`,
    });
    expect((await commit(r.id, { capabilities: `${capabilities}.old` })).code).toBe(0);
  });

  it('a refusal names its cause: another commitment, or a changed file', async () => {
    const { check, commit, capabilities } = loggedCompany(dir, 'cause');
    const [a, b, c] = [await check(100), await check(100), await check(10)];
    expect((await commit(a.id)).code).toBe(0);
    const taken = await commit(b.id);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(
      `promise: cannot commit check ${b.id}: berlin has only 20 PUMP-100 available to promise on 2026-11-24, 100 needed (committed to others since it was checked; check again)\n`,
    );
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 105'));
    const changed = await commit(c.id);
    expect(changed.stderr).toBe(
      `promise: cannot commit check ${c.id}: berlin has only 5 PUMP-100 available to promise on 2026-11-24, 10 needed (${capabilities} has changed since it was checked; check again)\n`,
    );
  });

  it('--no-log does not apply; an unknown id names the log', async () => {
    const { check, commit, log } = loggedCompany(dir, 'ids');
    await check(1);
    expect(await commit(999)).toMatchObject({ code: 2, stderr: `promise: no check 999 in ${log}\n` });
    expect((await commit(1, { log: false as unknown as string })).stderr).toContain('--no-log does not apply');
  });
});
