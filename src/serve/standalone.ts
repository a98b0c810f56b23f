// serve and mcp are built apart from the CLI (scripts/build.mjs), with their own
// copies of Failure and of the open logs: so their failures become their line and
// exit code here, and their logs are closed here.
import type { Io } from '../cli/io.js';
import { type ExitCode, Failure } from '../errors.js';
import { closeLogs } from '../log/log.js';

export async function standalone(io: Io, run: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    io.err.write(`promise: ${e.message}\n`);
    return e.exitCode;
  } finally {
    await closeLogs();
  }
}
