// An Io whose output is kept as strings: commands run in process by the server
// (serve/ops.ts) and by tests (test/helpers/io.ts). Apart from io.ts so a check's
// start-up does not load node:stream for it.
import { Readable } from 'node:stream';
import type { Io } from './io.js';

export function bufferIo(env: NodeJS.ProcessEnv): Io & { stdout(): string; stderr(): string } {
  let out = '';
  let err = '';
  return {
    out: { write: (s: string) => (out += s) },
    err: { write: (s: string) => (err += s) },
    stdin: Readable.from([]),
    env,
    stdout: () => out,
    stderr: () => err,
  };
}
