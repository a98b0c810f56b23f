// Far from the database (TEAM.md): a check costs at most three round trips
// after login (read; lock and read the chain's head; the row and COMMIT), so a
// rep 25 ms from the server waits about as long as one beside it. Counted
// through a proxy that delays every chunk, so statements sent together (before
// any answer) are seen as one flight.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPEC_EXAMPLE, startCli, tempDir } from './helpers/cli.js';
import { latencyProxy } from './helpers/latencyProxy.mjs';
import { freshDatabase } from './helpers/teamLog.js';

const CHECK = ['check', '--capabilities', SPEC_EXAMPLE, '--now', '2026-11-23T10:00', '--sku', 'PUMP-100', '--to', 'DE', '--by', '2026-12-04'];

describe('round trips of a logged check on a team log', () => {
  it('three after login, with commitments and delivery history in the log; a commit of it three more', async () => {
    const log = await freshDatabase();
    // A log with something in every table a check reads.
    expect((await startCli([...CHECK, '--qty', '10', '--log', log])).code).toBe(0);
    expect((await startCli(['commit', '1', '--log', log])).code).toBe(0);
    const url = new URL(log);
    const proxy = await latencyProxy({ port: Number(url.port), delayMs: 40 });
    try {
      url.port = String(proxy.port);
      url.searchParams.set('sslmode', 'disable');
      const far = url.toString();
      const checked = await startCli([...CHECK, '--qty', '5', '--log', far, '--json']);
      expect([checked.code, checked.stderr]).toEqual([0, '']);
      expect(JSON.parse(checked.stdout)).toMatchObject({ id: 2, verdict: 'feasible' });
      expect(proxy.roundTrips()).toEqual([3]);
      // The same on a capabilities text the log does not keep yet: its row goes out with the check's.
      const edited = join(tempDir(), 'capabilities.yaml');
      writeFileSync(edited, `${readFileSync(SPEC_EXAMPLE, 'utf8')}\n# edited\n`);
      const other = await startCli([...CHECK, '--qty', '5', '--log', far, '--capabilities', edited]);
      expect([other.code, other.stderr]).toEqual([0, '']);
      expect(proxy.roundTrips()[1]).toBe(3);
    } finally {
      await proxy.close();
    }
  });
});
