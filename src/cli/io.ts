// Where a command reads and writes: the process's streams and environment in
// production, buffers in tests (testIo), so a command runs in process and its
// output is read as a string (test/helpers/io.ts).
import { EXIT, type ExitCode, Failure } from '../errors.js';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  out: Output;
  err: Output;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/**
 * stderr and stdin are made on first use: Node builds a stream per standard file when it is first
 * read (for a pipe, a socket; stdin also loads the file streams), ~200 KB of heap and a scavenge in a
 * check that never prompts, reads a batch or warns.
 */
export const processIo = (): Io => ({
  out: process.stdout,
  get err() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
});

/** The one place a failure becomes its line on stderr and its exit code (main.ts and in-process tests). */
export function reportFailure(e: unknown, io: Io): ExitCode {
  if (e instanceof Failure) {
    io.err.write(`promise: ${e.message}\n`);
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.err.write(`promise: internal error: ${message} (please report it)\n`);
  if (io.env.PROMISE_DEBUG && e instanceof Error) io.err.write(`${e.stack}\n`);
  return EXIT.usage;
}
