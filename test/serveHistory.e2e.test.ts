// serve's and MCP's checks apply the log's delivery history (LEARN.md "Evidence
// on every check") as `promise check` does: on a log whose history makes a
// promise at_risk (policy.on_time_target), the API, MCP over stdio and the CLI
// give the same answer, and replay rebuilds the server's check.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runOutcome } from '../src/commands/outcome/outcome.js';
import { closeLogs } from '../src/log/log.js';
import { BIN, passwordToEnv, runCli, tempDir } from './helpers/cli.js';
import { inProcess } from './helpers/io.js';
import { loggedCompany } from './helpers/logged.js';
import { call, serve, serveEnv } from './helpers/served.js';
import { freshDatabase } from './helpers/teamLog.js';

const dir = tempDir();
afterEach(() => closeLogs());
const LATER = '2027-01-15T12:00';
const PROMISE = { sku: 'PUMP-100', qty: 1, to: 'DE', by: '2027-02-26', from: 'berlin', method: 'standard' };

/** Monday to Friday (the example's holidays are later than any day used here). */
function addWorkdays(iso: string, n: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  for (let left = n; left > 0; ) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

/** What must be the same whoever asks: everything but the id. */
const answer = ({ id: _id, ...rest }: Record<string, unknown>) => rest;

for (const backend of ['SQLite', 'PostgreSQL'] as const) {
  describe(`serve and MCP apply the delivery history (${backend})`, () => {
    const home = join(dir, backend);
    let log: string;
    let strict: string;

    beforeAll(async () => {
      log = backend === 'SQLite' ? join(dir, `${backend}.db`) : await freshDatabase('servehistory');
      const company = loggedCompany(dir, backend, log);
      // 20 deliveries on berlin → DE by standard, 15 on time and 5 a workday late: 75% on time.
      const lines = ['ref,delivered,qty,note'];
      for (let i = 0; i < 20; i++) {
        const r = (await company.check(1, { from: 'berlin', method: 'standard', to: 'DE', by: '2026-12-18' })) as unknown as {
          id: number;
          plan: { delivery_date: string };
        };
        expect((await company.commit(r.id, { ref: `SO-${i}` })).code).toBe(0);
        lines.push(`SO-${i},${addWorkdays(r.plan.delivery_date, i < 15 ? 0 : 1)},1,`);
      }
      const csv = `${home}-deliveries.csv`;
      writeFileSync(csv, `${lines.join('\n')}\n`);
      expect((await inProcess((io) => runOutcome(undefined, { log, input: csv, now: LATER }, io))).code).toBe(0);
      await closeLogs();
      strict = join(dir, `${backend}-strict.yaml`);
      writeFileSync(strict, readFileSync(company.capabilities, 'utf8').replace('  safety_days: 1 ', '  on_time_target: 0.9\n  safety_days: 1 '));
    }, 120_000);

    it('the API and MCP answer what promise check answers: at_risk by rule history, with the evidence; replay agrees', async () => {
      const args = ['--capabilities', strict, '--log', log, '--now', LATER];
      const cli = runCli(['check', '--json', ...Object.entries(PROMISE).flatMap(([k, v]) => [`--${k}`, String(v)]), ...args]);
      expect(cli.stderr).toBe('');
      const byCli = JSON.parse(cli.stdout) as Record<string, unknown>;
      // The history changes the answer: without it this promise is feasible.
      expect(byCli).toMatchObject({
        verdict: 'at_risk',
        plan: { evidence: { samples: 20, on_time_share: 0.75 } },
        reasons: expect.arrayContaining([
          expect.objectContaining({
            rule: 'history',
            ok: false,
            message: 'only 75% of 20 standard deliveries from berlin to DE arrived on time (policy asks for 90%)',
          }),
        ]),
      });

      const s = await serve(['--no-auth', ...args]);
      let byApi: Record<string, unknown>;
      try {
        const r = await call(`${s.url}v1/checks`, null, 'POST', PROMISE);
        expect(r.status).toBe(200);
        byApi = r.json;
      } finally {
        await s.stop();
      }
      expect(answer(byApi)).toEqual(answer(byCli));

      const moved = passwordToEnv(['mcp', ...args]);
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [BIN, ...moved.args],
        env: serveEnv({ ...moved.env, PROMISE_REP: 'desk-assistant' }) as Record<string, string>,
        stderr: 'pipe',
      });
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(transport);
      let byMcp: Record<string, unknown>;
      try {
        byMcp = (await client.callTool({ name: 'check_promise', arguments: PROMISE })).structuredContent as Record<string, unknown>;
      } finally {
        await client.close();
      }
      expect(answer(byMcp)).toEqual(answer(byCli));

      // The server's checks recorded the events position their history was read at: replay rebuilds them.
      for (const id of [byApi.id, byMcp.id]) {
        const replayed = runCli(['replay', String(id), '--log', log]);
        expect(replayed.stderr).toBe('');
        expect(replayed.code).toBe(0);
      }
    });
  });
}
