// Many processes against one log: nothing lost, no busy errors, no double-booked
// stock; a writer killed mid-batch leaves a log that opens, passes
// integrity_check and verifies its hash chain.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, SPEC_EXAMPLE, tempDir } from './helpers/cli.js';

const dir = tempDir();
const env = { ...process.env, NO_COLOR: '1', PROMISE_REP: 'load' };
const CHECK = ['check', '--capabilities', SPEC_EXAMPLE, '--now', '2026-11-23T10:00', '--input', '-', '--json'];

/** A writer fed in bursts, so its checks land in many small transactions. */
function writer(log: string, n: number, burst: number, pauseMs: number, extra: string[] = []) {
  const child = spawn(process.execPath, [BIN, ...CHECK, '--log', log, ...extra], { env });
  let stdout = '';
  let stderr = '';
  child.stdin.on('error', () => {}); // a killed writer closes its stdin under us
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  (async () => {
    for (let i = 0; i < n; i += burst) {
      const lines = [];
      for (let j = i; j < Math.min(n, i + burst); j++) lines.push(JSON.stringify({ sku: 'SEAL-KIT', qty: 1, to: 'DE', by: '2026-12-18', customer: `w${j}` }));
      if (!child.stdin.write(`${lines.join('\n')}\n`)) await new Promise((r) => child.stdin.once('drain', r));
      await new Promise((r) => setTimeout(r, pauseMs));
    }
    child.stdin.end();
  })().catch(() => {});
  return { child, done, stdout: () => stdout };
}

describe('concurrent writers', () => {
  it('8 processes × 500 checks: all 4,000 rows, no busy error, chain intact', async () => {
    const log = join(dir, 'eight.db');
    const results = await Promise.all(Array.from({ length: 8 }, () => writer(log, 500, 25, 60).done));
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(500);
    }
    const db = new Database(log, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT customer) AS c FROM checks').get()).toEqual({ n: 4000, c: 500 });
    db.close();
    const verify = runCli(['log', 'verify', '--log', log]);
    expect(verify.stdout).toContain('ok (4000 checks');
  });

  it('parallel commits never double-book: total committed stays within ATP', async () => {
    const log = join(dir, 'race.db');
    // 20 checks of 10 pumps each from berlin (120 before December 14): all feasible alone.
    const input = Array.from({ length: 20 }, () => JSON.stringify({ sku: 'PUMP-100', qty: 10, to: 'DE', by: '2026-12-04', from: 'berlin' })).join('\n');
    const checked = runCli([...CHECK, '--log', log], { input });
    expect(
      checked.stdout
        .trim()
        .split('\n')
        .every((l) => JSON.parse(l).verdict === 'feasible'),
    ).toBe(true);
    const commits = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          new Promise<number | null>((resolve) => {
            const c = spawn(process.execPath, [BIN, 'commit', String(i + 1), '--log', log, '--capabilities', SPEC_EXAMPLE], { env });
            c.on('close', resolve);
          }),
      ),
    );
    expect(commits.filter((c) => c === 0)).toHaveLength(12);
    expect(commits.filter((c) => c === 1)).toHaveLength(8);
    const db = new Database(log, { readonly: true });
    expect(db.prepare("SELECT SUM(qty) AS held FROM holds WHERE location = 'berlin'").get()).toEqual({ held: 120 });
    db.close();
  });

  it('writers killed with SIGKILL mid-batch: the log opens, integrity ok, chain ok', async () => {
    const log = join(dir, 'killed.db');
    let survived = 0;
    const reported: number[] = [];
    for (let round = 0; round < 6; round++) {
      const w = writer(log, 40_000, 200, 5);
      // Mid-batch: once its first chunk is recorded (however slow start-up is on a busy machine), then a while later.
      while (w.stdout() === '' && w.child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, round * 240));
      w.child.kill('SIGKILL');
      const r = await w.done;
      expect(r.signal).toBe('SIGKILL');
      // Complete lines only: the kill may cut the last one.
      for (const line of r.stdout.split('\n').slice(0, -1)) reported.push(JSON.parse(line).id);
      const verify = runCli(['log', 'verify', '--log', log, '--json']);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, integrity: 'ok' });
      survived++;
    }
    expect(survived).toBe(6);
    expect(reported.length).toBeGreaterThan(0);
    // Nothing was reported that was not recorded.
    const db = new Database(log, { readonly: true });
    const found = db.prepare(`SELECT COUNT(*) AS n FROM checks WHERE id IN (${reported.join(',')})`).get() as { n: number };
    expect(found.n).toBe(reported.length);
    db.close();
  });
});
