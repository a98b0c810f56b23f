// promise mcp through the official SDK client, as an assistant uses it: over
// stdio (a desktop assistant starts `promise mcp`) and over Streamable HTTP at
// /mcp on `promise serve`, with the same tokens as the API.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from './helpers/cli.js';
import { company, type RequestLine, serve, serveEnv } from './helpers/served.js';

const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

/** What every transport must show an assistant: the tools, their schemas and advice, a check, a commit. */
async function assistantSession(client: Client, log: string, capabilities: string, rep: string) {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(['check_promise', 'commit_promise', 'list_commitments', 'what_can_we_promise']);
  const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
  const check = byName.check_promise!;
  expect(check.description).toContain('BEFORE you make it');
  expect(check.description).toContain('offer the customer the alternatives');
  // The input schema is the API's (from the core's promise schemas): unknown fields refused.
  expect(check.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
  expect(Object.keys(check.inputSchema.properties!)).toEqual(expect.arrayContaining(['sku', 'qty', 'lines', 'to', 'by', 'service', 'hours', 'customer']));
  expect(byName.commit_promise!.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false, destructiveHint: false });
  expect(byName.what_can_we_promise!.annotations).toMatchObject({ readOnlyHint: true });

  const checked = (await client.callTool({ name: 'check_promise', arguments: { sku: 'PUMP-100', qty: 500, to: 'DE', by: '2026-12-04' } })) as CallToolResult;
  expect(checked.isError).toBeFalsy();
  expect(checked.structuredContent).toMatchObject({ verdict: 'infeasible', alternatives: [{ kind: 'max_quantity' }] });
  const id = (checked.structuredContent as { id: number }).id;
  expect(text(checked)).toContain('✘ INFEASIBLE  500 × PUMP-100 to DE by 2026-12-04');
  expect(text(checked)).toContain(`commit_promise with check_id ${id} and alternative N`);
  expect(text(checked)).toContain('Do NOT make this promise. Offer the customer one of the alternatives above instead.');

  const bad = (await client.callTool({ name: 'check_promise', arguments: { sku: 'PUMP-100', qty: 5, to: 'DE', by: 'someday' } })) as CallToolResult;
  expect(bad.isError).toBe(true);
  expect(text(bad)).toContain('by: "someday" is not a date');
  // The SDK checks the arguments against the same schema: an unknown field in the CLI's words, with the nearest name.
  const typo = (await client.callTool({ name: 'check_promise', arguments: { sku: 'PUMP-100', qtx: 5, to: 'DE', by: '2026-12-04' } })) as CallToolResult;
  expect(typo.isError).toBe(true);
  expect(text(typo)).toContain('unknown field "qtx" (did you mean "qty"?)');

  const committed = (await client.callTool({
    name: 'commit_promise',
    arguments: { check_id: id, alternative: 1, note: 'call before delivery' },
  })) as CallToolResult;
  expect(committed.isError).toBeFalsy();
  expect(text(committed)).toBe(`Committed check ${id}: 120 × PUMP-100 to DE by 2026-12-04. It now holds stock; you may confirm it to the customer.`);

  const listed = (await client.callTool({ name: 'list_commitments', arguments: {} })) as CallToolResult;
  expect((listed.structuredContent as { commitments: unknown[] }).commitments).toEqual([
    // What was promised is the alternative committed (120), not the 500 checked.
    expect.objectContaining({ id, status: 'open', what: '120 × PUMP-100 to DE by 2026-12-04', rep, alternative: 1, note: 'call before delivery' }),
  ]);
  expect(text(listed)).toBe(`#${id} open: 120 × PUMP-100 to DE by 2026-12-04 (${rep})`);
  const sheet = (await client.callTool({ name: 'what_can_we_promise', arguments: { region: 'DE', sku: 'PUMP-100' } })) as CallToolResult;
  expect(text(sheet)).toContain('PUMP-100');
  expect((sheet.structuredContent as { products: { sku: string }[] }).products.map((p) => p.sku)).toEqual(['PUMP-100']);

  // The CLI sees what the assistant did.
  const log_ = JSON.parse(runCli(['log', '--json', '--log', log, '--capabilities', capabilities, '--now', '2026-11-23T10:00']).stdout) as {
    id: number;
    rep: string;
    status: string;
  }[];
  expect(log_.find((r) => r.id === id)).toMatchObject({ rep, status: 'open' });
}

describe('promise mcp', () => {
  it('over stdio: the tools, a check that is not feasible, its alternative committed, as the rep of the process', async () => {
    const c = company();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', ...c.args],
      env: serveEnv({ PROMISE_REP: 'desk-assistant' }) as Record<string, string>,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    try {
      await assistantSession(client, c.log, c.capabilities, 'desk-assistant');
    } finally {
      await client.close();
    }
  });

  it('over Streamable HTTP at /mcp: the same tools with the token, its rep recorded, its scope enforced', async () => {
    const c = company();
    const ana = c.token('ana', 'commit');
    const reader = c.token('rita', 'read');
    const s = await serve(c.args);
    const connect = async (token: string | null) => {
      const client = new Client({ name: 'test', version: '1.0.0' });
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      await client.connect(new StreamableHTTPClientTransport(new URL(`${s.url}mcp`), { requestInit: { headers } }));
      return client;
    };
    try {
      const client = await connect(ana);
      await assistantSession(client, c.log, c.capabilities, 'ana');
      await client.close();
      // The request line of a tool call names the check it checked or committed.
      const named = (ls: RequestLine[]) => ls.filter((l) => l.route === '/mcp' && l.check_id === 1).length;
      expect(named(await s.logged((ls) => named(ls) >= 2))).toBe(2);
      const read = await connect(reader);
      const refused = (await read.callTool({ name: 'check_promise', arguments: { sku: 'PUMP-100', qty: 1, to: 'DE', by: '2026-12-04' } })) as CallToolResult;
      expect(refused).toMatchObject({ isError: true });
      expect(text(refused)).toBe("This token's scope (read) does not allow this; it needs check.");
      await read.close();
      await expect(connect(null)).rejects.toThrow(/401/);
      const stream = await fetch(`${s.url}mcp`, { headers: { authorization: `Bearer ${ana}`, accept: 'text/event-stream' } });
      expect([stream.status, stream.headers.get('allow'), stream.headers.get('content-type')]).toEqual([
        405,
        'POST',
        'application/problem+json; charset=utf-8',
      ]);
    } finally {
      await s.stop();
    }
  });

  it('SIGTERM with an assistant still connected over HTTP: the server stops (no stream is held open)', async () => {
    const c = company();
    const s = await serve(c.args);
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${s.url}mcp`), { requestInit: { headers: { authorization: `Bearer ${c.token('ana', 'read')}` } } }),
    );
    try {
      expect((await client.listTools()).tools.length).toBe(4);
      // The client is not closed: before, the event stream it opens after initialize kept the server from finishing.
      const late = new Promise((resolve) => setTimeout(() => resolve('still running 15 s after SIGTERM'), 15_000).unref());
      expect(await Promise.race([s.stop(), late])).toBe(0);
    } finally {
      await client.close();
    }
  });
});
