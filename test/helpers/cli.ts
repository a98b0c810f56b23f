// Runs the built CLI as a subprocess, as users and scripts do.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin', 'promise.js');
/** Our copy of the contract's example company (the spec's copy stays the reference). */
export const SPEC_EXAMPLE = join(ROOT, 'fixtures', 'spec-example.yaml');
export const fixture = (name: string) => join(ROOT, 'fixtures', name);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A password in a postgres:// URL among the arguments moves to PGPASSWORD, where a
 * rep keeps it: on the command line the CLI warns that a process list shows it.
 */
export function passwordToEnv(args: readonly string[]): { args: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const moved = args.map((arg) => {
    if (!/^postgres(ql)?:\/\//i.test(arg)) return arg;
    let u: URL;
    try {
      u = new URL(arg);
    } catch {
      return arg;
    }
    if (!u.password) return arg;
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
    return u.toString();
  });
  return { args: moved, env };
}

export function runCli(args: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string } = {}): CliResult {
  const moved = passwordToEnv(args);
  const r = spawnSync(process.execPath, [BIN, ...moved.args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PROMISE_LOG: '', PROMISE_CAPABILITIES: '', PROMISE_REP: 'tester', ...moved.env, ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The built CLI as a process that runs beside the test (a race holds one side open): input on stdin, then its result. */
export function startCli(args: string[], input = '', env: Record<string, string> = {}): Promise<CliResult> {
  const moved = passwordToEnv(args);
  const child = spawn(process.execPath, [BIN, ...moved.args], {
    env: { ...process.env, NO_COLOR: '1', PROMISE_LOG: '', PROMISE_CAPABILITIES: '', PROMISE_REP: 'tester', ...moved.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

/** A temp dir removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'promise-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
