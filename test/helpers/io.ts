// An Io of buffers, for running a command in process (like gh's iostreams.Test()).
import { Readable } from 'node:stream';
import type { Io } from '../../src/cli/io.js';

export function testIo(env: NodeJS.ProcessEnv = {}): Io & { stdout(): string; stderr(): string } {
  let out = '';
  let err = '';
  return {
    out: { write: (s: string) => (out += s) },
    err: { write: (s: string) => (err += s) },
    stdin: Readable.from([]),
    env: { NO_COLOR: '1', PROMISE_REP: 'tester', ...env },
    stdout: () => out,
    stderr: () => err,
  };
}
