// Where a command reads and writes: the process's streams and environment in
// production, buffers in tests (testIo), so a command runs in process and its
// output is read as a string (test/helpers/io.ts).

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

export const processIo = (): Io => ({ out: process.stdout, err: process.stderr, stdin: process.stdin, env: process.env });
