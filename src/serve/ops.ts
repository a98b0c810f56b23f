// What the API, the page and MCP do, each through the CLI's own code: a check is
// checkOne's steps with the log's history (checking.ts), a commit is runCommit, a list is runLog, run
// in process with the server's open log and the capabilities version of this
// request (CommonOptions.served). Nothing here decides what a promise means.
import { bufferIo } from '../cli/bufferIo.js';
import type { Io } from '../cli/io.js';
import type { CommonOptions } from '../cli/options.js';
import { type CheckJson, renderCheck } from '../cli/render.js';
import type { Session } from '../cli/session.js';
import type { CheckOptions } from '../commands/check/check.js';
import { promiseFromFields } from '../commands/check/fields.js';
import { customerOf } from '../core/promise.js';
import { isoInZone, parseNow } from '../core/time/clock.js';
import { type ExitCode, Failure, usageError } from '../errors.js';
import type { Log, TokenScope } from '../log/log.js';
import { type Checker, checkServed } from './checking.js';
import type { LiveCapabilities } from './live.js';
import type { CheckRequest, CommitRequest } from './schemas.js';

/** Who is asking: the rep recorded is always the token's, never a field of the request. */
export interface Caller {
  rep: string;
  scope: TokenScope;
  tokenId: number | null;
}

export interface ServeContext {
  live: LiveCapabilities;
  log: Log;
  /** Checks with what requests share: holds read together, the history once per position, rows recorded together. */
  checker: Checker;
  /** --now, for tests: every request runs at this instant. */
  now?: string;
}

const RANK: Record<TokenScope, number> = { read: 0, check: 1, commit: 2 };
export const allows = (caller: Caller, needed: TokenScope): boolean => RANK[caller.scope] >= RANK[needed];

/** The options a command gets when the server runs it for `caller`. */
export function servedOptions(ctx: ServeContext, caller: Caller, loaded = ctx.live.current.loaded): CommonOptions {
  return { served: { log: ctx.log, loaded }, now: ctx.now, json: true, rep: caller.rep };
}

/** The last instant's text in the last zone: --now, or requests in the same millisecond, ask for the same one. */
let lastNow: { ms: number; zone: string; text: string } | null = null;
let lastFixed: { now: string; zone: string; ms: number } | null = null;

/** The session of one request: one capabilities version from start to end. */
export function session(ctx: ServeContext): Session {
  const { loaded, model } = ctx.live.current;
  const zone = loaded.caps.timezone;
  let fixed: Date;
  if (ctx.now === undefined) fixed = new Date();
  else if (lastFixed?.now === ctx.now && lastFixed.zone === zone) fixed = new Date(lastFixed.ms);
  else {
    const parsed = parseNow(ctx.now, zone);
    if (typeof parsed === 'string') throw usageError(`--now: "${ctx.now}" ${parsed}`);
    lastFixed = { now: ctx.now, zone, ms: parsed.getTime() };
    fixed = parsed;
  }
  const ms = fixed.getTime();
  if (lastNow?.ms !== ms || lastNow.zone !== zone) lastNow = { ms, zone, text: isoInZone(fixed, zone) };
  const nowText = lastNow.text;
  return { loaded, model, now: fixed, nowText, today: nowText.slice(0, 10), log: ctx.log, record: true };
}

/** One promise checked and recorded, as `check --json` answers it: the line as it is sent, and its id. */
export async function checkLine(ctx: ServeContext, caller: Caller, fields: CheckRequest): Promise<{ line: string; id: number }> {
  const s = session(ctx);
  const parsed = await promiseFromFields(fields as Record<string, unknown>, s.model, s.now);
  if ('error' in parsed) throw usageError(parsed.error);
  return checkServed(ctx.checker, s, parsed.promise, caller.rep, customerOf(parsed.promise) ?? null);
}

/** One promise checked and recorded, as `check --json` answers it. */
export async function checkPromise(ctx: ServeContext, caller: Caller, fields: CheckRequest): Promise<CheckJson> {
  return JSON.parse((await checkLine(ctx, caller, fields)).line) as CheckJson;
}

/** What a rep would read out: the CLI's own words, without colour. */
export function summaryOf(json: CheckJson): string {
  return renderCheck(json);
}

/** A command run in process; its output, and its exit code. Failures are thrown. */
export async function runCommand(run: (io: Io) => ExitCode | Promise<ExitCode>): Promise<{ code: ExitCode; stdout: string; stderr: string }> {
  const io = bufferIo({ NO_COLOR: '1' });
  const code = await run(io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

export interface CommitAnswer {
  id: number;
  committed: boolean;
  reason: string | null;
  [more: string]: unknown;
}

/** `promise commit ID --json` for `caller`: refused (committed false, with the reason) when it no longer fits. */
export async function commitCheck(ctx: ServeContext, caller: Caller, id: number, body: CommitRequest): Promise<CommitAnswer> {
  const { runCommit } = await import('../commands/commit/commit.js');
  const opts = {
    ...servedOptions(ctx, caller),
    ...(body.alternative === undefined ? {} : { alternative: String(body.alternative) }),
    ...(body.hold_until === undefined ? {} : { holdUntil: body.hold_until }),
    ...(body.note === undefined ? {} : { note: body.note }),
  };
  const r = await runCommand((io) => runCommit(String(id), opts, io));
  return JSON.parse(r.stdout) as CommitAnswer;
}

/** The capabilities sheet (`capabilities --json`), for a region, sku or customer. */
export async function capabilitiesSheet(
  ctx: ServeContext,
  caller: Caller,
  q: { region?: string; sku?: string; customer?: string; format?: string },
  loaded = ctx.live.current.loaded,
) {
  const { runCapabilities } = await import('../commands/capabilities/capabilities.js');
  const { format = 'json', ...rest } = q;
  const opts = { ...servedOptions(ctx, caller, loaded), format: format === 'json' ? 'text' : format, json: format === 'json', qty: '1,10,100', ...rest };
  const r = await runCommand((io) => runCapabilities(opts, io));
  return r.stdout;
}

/** Recorded checks as `log --json` lists them. */
export async function listChecks(ctx: ServeContext, caller: Caller, q: Record<string, string | number | undefined>): Promise<Record<string, unknown>[]> {
  const { runLog } = await import('../commands/log/listChecks.js');
  // `rep` filters in `promise log`: here it is who asks, not a filter.
  const opts = {
    ...servedOptions(ctx, caller),
    rep: undefined,
    ...Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v === undefined ? v : String(v)])),
  };
  const r = await runCommand((io) => runLog(opts as CheckOptions, io));
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

/** Where a CLI failure belongs in HTTP: the words are the CLI's, the status says whose move it is. */
export function statusOf(e: Failure): number {
  if (e.kind === 'log') return 503;
  if (/^no check \d+ in /.test(e.message) || /^no live token/.test(e.message)) return 404;
  if (/ is already | is not committed| only a held quote/.test(e.message)) return 409;
  return 400;
}

export { Failure };
