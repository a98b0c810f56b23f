// `promise serve` (or `promise mcp`) as a real process on a free port, for the
// tests over HTTP: its URL from stdout, its request lines from stderr.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, passwordToEnv, runCli, SPEC_EXAMPLE } from './cli.js';

export const NOW = '2026-11-23T10:00';

export interface Served {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /**
   * Its request lines (stderr) once `ready` holds for them: a line is written after its answer is sent, so a test
   * that has its answer may not have its line yet. Waits up to 5 s, then returns what there is.
   */
  logged(ready: (lines: RequestLine[]) => boolean): Promise<RequestLine[]>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

// biome-ignore lint/suspicious/noExplicitAny: request lines are read field by field in the tests
export type RequestLine = Record<string, any>;

export const serveEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  NO_COLOR: '1',
  PROMISE_LOG: '',
  PROMISE_CAPABILITIES: '',
  PROMISE_REP: 'server-user',
  ...extra,
});

export function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const moved = passwordToEnv(args);
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...moved.args], { env: serveEnv({ ...moved.env, ...env }) });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const m = /^(http:\/\/\S+\/)\n/.exec(stdout);
      if (m)
        resolve({
          url: m[1]!,
          child,
          stderr: () => stderr,
          logged: async (ready) => {
            const lines = () =>
              stderr
                .split('\n')
                .filter((l) => l.startsWith('{'))
                .map((l) => JSON.parse(l) as RequestLine);
            for (let i = 0; i < 100 && !ready(lines()); i++) await new Promise((r) => setTimeout(r, 50));
            return lines();
          },
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

/** A company (a copy of the spec example) and a log in a fresh dir, with a token per scope. */
export function company(log?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'promise-serve-'));
  const capabilities = join(dir, 'capabilities.yaml');
  copyFileSync(SPEC_EXAMPLE, capabilities);
  const target = log ?? join(dir, 'log.db');
  const token = (rep: string, scope: string): string => {
    const r = runCli(['token', 'add', rep, '--scope', scope, '--log', target]);
    if (r.code !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  return { dir, capabilities, log: target, token, args: ['--capabilities', capabilities, '--log', target, '--now', NOW] };
}

/** fetch with a token; JSON in, the status, headers and parsed body out. */
export async function call(url: string, token: string | null, method = 'GET', body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field in the tests
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * Bytes written as they are on a connection to `url` (what no HTTP client sends); all that comes back until it closes.
 * `end: false` leaves the connection open for more (a client that stalls).
 */
export function raw(url: string, bytes: string, { end = true } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => (end ? socket.end(bytes) : socket.write(bytes)));
    socket.on('data', (d) => (answer += d));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}
