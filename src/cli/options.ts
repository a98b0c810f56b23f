// Resolution of the common options shared by every command (CLI.md, "Common
// options"), from the flags and the environment the command was given.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { loadCapabilities } from '../capabilities/cache.js';
import { formatProblem } from '../capabilities/problem.js';
import type { LoadedCapabilities, LoadResult } from '../capabilities/read.js';
import { type Clock, isoInZone, parseNow } from '../core/time/clock.js';
import { usageError } from '../errors.js';
import type { Log } from '../log/log.js';
import type { Io } from './io.js';

export interface CommonOptions {
  capabilities?: string;
  log?: string | false;
  /** --log FILE given with --no-log: the log to read commitments from; nothing is written (--no-log wins). */
  readLog?: string;
  json?: boolean;
  now?: string;
  rep?: string;
  customer?: string;
  /** A batch file (check --input), or false with --no-input: the two share a flag name. */
  input?: string | false;
  /** Run by `promise serve`/`mcp`: the log it keeps open and the capabilities version this request uses. */
  served?: Served;
}

/** What a server hands a command instead of a file and a log target to open. */
export interface Served {
  log: Log;
  loaded: LoadedCapabilities;
}

export function capabilitiesPath(opts: CommonOptions, env: NodeJS.ProcessEnv): string {
  return opts.capabilities || env.PROMISE_CAPABILITIES || 'capabilities.yaml';
}

/** Where the log is, whether or not this command may write it (--no-log only stops writing). */
export function logTarget(opts: CommonOptions, env: NodeJS.ProcessEnv): string {
  if (opts.log) return opts.log;
  if (opts.readLog) return opts.readLog;
  if (env.PROMISE_LOG) return env.PROMISE_LOG;
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'promise', 'log.db');
}

export function repName(opts: CommonOptions, env: NodeJS.ProcessEnv): string {
  if (opts.rep) return opts.rep;
  if (env.PROMISE_REP) return env.PROMISE_REP;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The invocation's instant, asked for in the company zone; and the company's date then. */
export interface InvocationClock extends Clock {
  /** The company's date (YYYY-MM-DD) at the instant: a quote holds through its last day. */
  today(zone: string): string;
}

const clocks = new WeakMap<CommonOptions, InvocationClock>();

/**
 * The one clock of an invocation (its options object): --now, where a time
 * without offset is wall-clock time in the zone asked for (the company's), else
 * the system clock, read once. Loading, validating and checking all read this.
 */
export function clockOf(opts: CommonOptions): InvocationClock {
  let clock = clocks.get(opts);
  if (clock) return clock;
  const system = new Date();
  const at = (zone: string): Date => {
    if (opts.now === undefined) return system;
    const now = parseNow(opts.now, zone);
    if (typeof now === 'string') throw usageError(`--now: "${opts.now}" ${now}`);
    return now;
  };
  clock = { at, today: (zone) => isoInZone(at(zone), zone).slice(0, 10) };
  clocks.set(opts, clock);
  return clock;
}

/** Loads a capabilities file, or fails with its first problem (exit 2). */
export async function loadCapabilitiesOrFail(file: string, opts: CommonOptions): Promise<LoadedCapabilities> {
  if (opts.served) return opts.served.loaded;
  return orFail(file, await loadCapabilities(file, clockOf(opts)));
}

export function orFail(file: string, result: LoadResult): LoadedCapabilities {
  if (result.ok) return result.value;
  const errors = result.problems.filter((p) => p.severity === 'error');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more; run: promise validate ${file})` : '';
  throw usageError(`${formatProblem(file, errors[0]!)}${more}`);
}

/** Prompts only when a person is at a terminal and has not said --no-input. */
export function canPrompt(opts: CommonOptions, io: Io): boolean {
  return opts.input !== false && io.stdin.isTTY === true && io.out.isTTY === true;
}

export function parseId(text: string, of = 'a check'): number {
  if (!/^\d{1,15}$/.test(text)) throw usageError(`ID must be the id of ${of} (a whole number), not "${text}"`);
  return Number(text);
}
