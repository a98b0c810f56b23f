// The Model Context Protocol: the same check, commit and capabilities as the
// API, as tools an AI assistant calls (over stdio from `promise mcp`, over
// Streamable HTTP at /mcp on `promise serve`). The descriptions tell the
// assistant what the seeds tell a rep: check before promising, and when a
// promise cannot be kept, offer the alternatives instead.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describePromise } from '../cli/render.js';
import { partsOf } from '../core/commitments/replan.js';
import type { SalesPromise } from '../core/promise.js';
import { Failure } from '../errors.js';
import { type CheckRow, statusOn, type TokenScope } from '../log/log.js';
import { parseOutcome } from '../log/outcomeJson.js';
import { VERSION } from '../version.js';
import { allows, type Caller, capabilitiesSheet, checkPromise, commitCheck, type ServeContext, session, summaryOf } from './ops.js';
import { CapabilitiesQuery, CheckRequest, type CommitmentsQuery, CommitmentsQuery as CommitmentsSchema, CommitPromiseInput } from './schemas.js';

const CHECK = `Check whether the company can keep a sales promise BEFORE you make it to a customer: a delivery (sku, qty, to, by), an order of several lines (lines, to, by) or a service (service, region, response_hours, hours). Never promise a date, quantity or response time you have not checked here first; stock, lanes, calendars and other reps' commitments decide, not what sounds likely.
The answer has a verdict: "feasible" (you may promise it), "at_risk" (possible but tight: say so), or "infeasible" (do NOT promise it). When it is not feasible, offer the customer the alternatives listed instead (a later date, a smaller quantity, another method), in the words given. Every check is recorded under your rep. To make the promise hold stock, call commit_promise with the check id.`;

const CAPABILITIES = `What the company can promise right now, in plain words: per product, the stock free to promise and the earliest delivery dates by region for a few quantities; per service, the response time by region; and the holidays. Use it to answer "what could we offer?" or to suggest a promise, then check the exact promise with check_promise before making it.`;

const COMMIT = `Commit a promise you checked with check_promise, after the customer has accepted it: it then holds stock and capacity, so no other rep can promise the same units. Give alternative N to commit the check's alternative N instead (required when the check was infeasible), hold_until YYYY-MM-DD to hold it only as a quote until that day, and a note for operations. It is checked again at that moment: if others committed the stock meanwhile it is refused with the reason; then check again and offer what is possible now. Not read-only, not idempotent: call it once per promise made.`;

const LIST = `Open commitments and quotes on the log (newest first): what has been promised to customers and still holds stock. Filter by status (open: firm; held: a quote still holding; expired: a quote past its date), sku or customer.`;

/**
 * A server for one caller (one per HTTP request; one per stdio session). `touched`: the check a tool call checked or
 * committed, for the request's log line.
 */
export function mcpServer(ctx: ServeContext, caller: Caller, touched: (checkId: number) => void = () => {}): McpServer {
  const server = new McpServer(
    { name: 'promise', version: VERSION },
    { instructions: 'Check every sales promise with check_promise before making it; if it is not feasible, offer the alternatives it lists instead.' },
  );
  server.registerTool(
    'check_promise',
    {
      title: 'Check a promise before making it',
      description: CHECK,
      inputSchema: CheckRequest,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      guarded(caller, 'check', async () => {
        const json = await checkPromise(ctx, caller, args as CheckRequest);
        touched(json.id!);
        const advice =
          json.verdict === 'feasible'
            ? 'You may make this promise. Commit it with commit_promise once the customer accepts.'
            : json.verdict === 'at_risk'
              ? 'This promise can be kept but is at risk: tell the customer what makes it tight, or offer an alternative.'
              : json.alternatives.length > 0
                ? 'Do NOT make this promise. Offer the customer one of the alternatives above instead.'
                : 'Do NOT make this promise: nothing close to it can be kept. Ask the customer what else would work, and check that.';
        const summary = summaryOf(json).replace(/promise commit (\d+) --alternative N/, 'commit_promise with check_id $1 and alternative N');
        return { content: [{ type: 'text', text: `${summary}\n${advice}` }], structuredContent: json as unknown as Record<string, unknown> };
      }),
  );
  server.registerTool(
    'what_can_we_promise',
    { title: 'What can we promise?', description: CAPABILITIES, inputSchema: CapabilitiesQuery, annotations: { readOnlyHint: true, openWorldHint: false } },
    (args) =>
      guarded(caller, 'read', async () => {
        const q = args as CapabilitiesQuery;
        // Both from one capabilities version, should a reload land between them.
        const { loaded } = ctx.live.current;
        const sheet = JSON.parse(await capabilitiesSheet(ctx, caller, q, loaded));
        const text = await capabilitiesSheet(ctx, caller, { ...q, format: 'text' }, loaded);
        return { content: [{ type: 'text', text }], structuredContent: sheet };
      }),
  );
  server.registerTool(
    'commit_promise',
    {
      title: 'Commit a checked promise',
      description: COMMIT,
      inputSchema: CommitPromiseInput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      guarded(caller, 'commit', async () => {
        const { check_id, ...terms } = args as { check_id: number; alternative?: number; hold_until?: string; note?: string };
        touched(check_id);
        const answer = await commitCheck(ctx, caller, check_id, terms);
        const promise = describePromise(answer.promise as SalesPromise);
        const text = answer.committed
          ? `Committed check ${check_id}${answer.hold_until ? ` as a quote held until ${answer.hold_until}` : ''}: ${promise}. It now holds stock; you may confirm it to the customer.`
          : `NOT committed: ${answer.reason}. Others committed the stock since it was checked. Do not confirm it to the customer; check again and offer what is possible now.`;
        return { content: [{ type: 'text', text }], structuredContent: answer, isError: !answer.committed };
      }),
  );
  server.registerTool(
    'list_commitments',
    { title: 'Open commitments and quotes', description: LIST, inputSchema: CommitmentsSchema, annotations: { readOnlyHint: true, openWorldHint: false } },
    (args) =>
      guarded(caller, 'read', async () => {
        const rows = await commitments(ctx, args as CommitmentsQuery);
        const text =
          rows.length === 0
            ? 'No open commitments or quotes match.'
            : rows
                .map(
                  (r) => `#${r.id} ${r.status}${r.hold_until ? ` until ${r.hold_until}` : ''}: ${r.what}${r.customer ? ` for ${r.customer}` : ''} (${r.rep})`,
                )
                .join('\n');
        return { content: [{ type: 'text', text }], structuredContent: { commitments: rows } };
      }),
  );
  return server;
}

async function commitments(ctx: ServeContext, q: CommitmentsQuery) {
  const today = session(ctx).today;
  const statuses = q.status ? [q.status] : ['open', 'held'];
  const limit = q.limit ?? 1000;
  const rows: CheckRow[] = [];
  for (const status of statuses) rows.push(...(await ctx.log.listChecks({ today, status, sku: q.sku, customer: q.customer, limit })));
  return rows
    .sort((a, b) => b.id - a.id)
    .slice(0, limit)
    .map((r) => ({
      id: r.id,
      status: statusOn(r, today),
      // What was promised: the alternative committed (both parts of a split), not the promise checked.
      what: partsOf({ outcome: parseOutcome(r.verdict, r.promise, r.result), alternative: r.alternative, parts: null })
        .map((p) => describePromise(p.promise))
        .join(' + '),
      customer: r.customer,
      rep: r.rep,
      alternative: r.alternative,
      hold_until: r.hold_until,
      note: r.handoff_note,
      committed_at: r.committed_at,
    }));
}

/** Scope first; the CLI's failures become a tool error in its words (the assistant reads them). */
async function guarded(caller: Caller, needed: TokenScope, run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  if (!allows(caller, needed))
    return { content: [{ type: 'text', text: `This token's scope (${caller.scope}) does not allow this; it needs ${needed}.` }], isError: true };
  try {
    return await run();
  } catch (e) {
    if (e instanceof Failure) return { content: [{ type: 'text', text: e.message }], isError: true };
    throw e;
  }
}
