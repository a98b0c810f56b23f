// Running a command in process, as main.ts would (like gh's iostreams.Test()):
// buffers for its output, and failures turned into their line and exit code.
import { bufferIo } from '../../src/cli/bufferIo.js';
import { type Io, reportFailure } from '../../src/cli/io.js';
import type { ExitCode } from '../../src/errors.js';

export interface Ran {
  code: ExitCode;
  stdout: string;
  stderr: string;
}

export function testIo(env: NodeJS.ProcessEnv = {}): Io & { stdout(): string; stderr(): string } {
  return bufferIo({ NO_COLOR: '1', PROMISE_REP: 'tester', PROMISE_LOG: '', PROMISE_CAPABILITIES: '', ...env });
}

/** Runs `command` with a test io; `env` adds to a clean environment (no PROMISE_* from the caller's). */
export async function inProcess(command: (io: Io) => ExitCode | Promise<ExitCode>, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const io = testIo(env);
  let code: ExitCode;
  try {
    code = await command(io);
  } catch (e) {
    code = reportFailure(e, io);
  }
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}
