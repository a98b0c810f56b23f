// Resolution of the common options shared by every command (CLI.md, "Common options").
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { loadCapabilities } from '../capabilities/cache.js';
import type { LoadedCapabilities } from '../capabilities/read.js';
import { formatProblem } from '../capabilities/problem.js';
import { parseNow } from '../core/time/clock.js';
import { usageError } from '../errors.js';

export interface CommonOptions {
  capabilities?: string;
  log?: string | false;
  json?: boolean;
  now?: string;
  rep?: string;
  customer?: string;
  /** A batch file (check --input), or false with --no-input: the two share a flag name. */
  input?: string | false;
}

export function capabilitiesPath(opts: CommonOptions): string {
  return opts.capabilities || process.env.PROMISE_CAPABILITIES || 'capabilities.yaml';
}

/** null with --no-log. */
export function logPath(opts: CommonOptions): string | null {
  if (opts.log === false) return null;
  if (opts.log) return opts.log;
  if (process.env.PROMISE_LOG) return process.env.PROMISE_LOG;
  const dataHome = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'promise', 'log.db');
}

export function repName(opts: CommonOptions): string {
  if (opts.rep) return opts.rep;
  if (process.env.PROMISE_REP) return process.env.PROMISE_REP;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** --now in the company zone (a time without offset is wall-clock time there). */
export function resolveNow(opts: CommonOptions, zone: string): Date {
  if (opts.now === undefined) return new Date();
  const now = parseNow(opts.now, zone);
  if (!now) throw usageError(`--now: "${opts.now}" is not an ISO 8601 date-time (e.g. 2026-11-23T10:00)`);
  return now;
}

/** Loads the capabilities file or fails with its first problem (exit 2). */
export async function loadCapabilitiesOrFail(opts: CommonOptions): Promise<LoadedCapabilities> {
  const file = capabilitiesPath(opts);
  const provisionalNow = resolveNow(opts, 'UTC');
  const result = await loadCapabilities(file, provisionalNow);
  if (result.ok) return result.value;
  const errors = result.problems.filter((p) => p.severity === 'error');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more; run: promise validate ${file})` : '';
  throw usageError(`${formatProblem(file, errors[0]!)}${more}`);
}

/** Prompts only when a person is at a terminal and has not said --no-input. */
export function canPrompt(opts: CommonOptions): boolean {
  return opts.input !== false && process.stdin.isTTY === true && process.stdout.isTTY === true;
}
