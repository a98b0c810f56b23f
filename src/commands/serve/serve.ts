// promise serve: the JSON API, the page for reps and MCP over HTTP (SERVE.md),
// on one log and one live capabilities file. Prints its URL on stdout, one JSON
// line per request on stderr; SIGTERM or SIGINT: stop accepting, finish what is
// in flight, close the log.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../cli/io.js';
import { type CommonOptions, capabilitiesPath, clockOf, logTarget, repName } from '../../cli/options.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { isPostgresUrl, openLog } from '../../log/log.js';
import { WriterThread } from '../../log/writerThread.js';
import { buildApp } from '../../serve/app.js';
import { isLoopback, noAuth, tokenAuth } from '../../serve/auth.js';
import { checker } from '../../serve/checking.js';
import { LiveCapabilities } from '../../serve/live.js';
import { boundHeap } from '../../serve/memory.js';
import { standalone } from '../../serve/standalone.js';
import { groupedRecorder, onThread, takingTurns } from '../../serve/writes.js';

/** dist/writer.cjs, the log's writer thread (src/cli/writer.ts), beside this bundle's folder; not there when run from the sources. */
const WRITER_ENTRY = fileURLToPath(new URL('../writer.cjs', import.meta.url));

export interface ServeOptions extends CommonOptions {
  host: string;
  port: string;
  /** false with --no-auth. */
  auth?: boolean;
  rate: string;
}

/**
 * The request lines, written once per turn of the event loop: one write (a
 * system call) per request was a tenth of the server's time under load.
 */
function linesOut(io: Io): (line: string) => void {
  let lines: string[] = [];
  return (line) => {
    if (lines.push(line) > 1) return;
    setImmediate(() => {
      const text = `${lines.join('\n')}\n`;
      lines = [];
      io.err.write(text);
    });
  };
}

export function runServe(opts: ServeOptions, io: Io): Promise<ExitCode> {
  return standalone(io, () => serve(opts, io));
}

async function serve(opts: ServeOptions, io: Io): Promise<ExitCode> {
  const port = /^\d{1,5}$/.test(opts.port) && Number(opts.port) <= 65535 ? Number(opts.port) : -1;
  if (port < 0) throw usageError(`--port must be a port number (0 for any free one), not "${opts.port}"`);
  const rate = /^\d{1,7}$/.test(opts.rate) ? Number(opts.rate) : 0;
  if (rate < 1) throw usageError(`--rate must be a whole number of requests per minute, not "${opts.rate}"`);
  // Without tokens anyone who can reach the port acts as this rep: only this machine may.
  if (opts.auth === false && !isLoopback(opts.host))
    throw usageError(`--no-auth is refused on ${opts.host}: only on a loopback address (127.0.0.1, ::1, localhost)`);
  if (opts.log === false) throw usageError('promise serve records every check: --no-log does not apply');
  const say = linesOut(io);
  // Before the capabilities load: their first parse is what grows the young generation first.
  const heap = boundHeap();
  const live = await LiveCapabilities.start(capabilitiesPath(opts, io.env), (line) => say(JSON.stringify({ time: new Date().toISOString(), message: line })));
  if ('failed' in live) throw usageError(live.failed);
  // A --now that does not read fails here, once, not in every request.
  clockOf(opts).at(live.current.loaded.caps.timezone);
  const target = logTarget(opts, io.env);
  const log = takingTurns(await openLog(target, { env: io.env, longRunning: true }));
  // A SQLite log's checks are written on a thread of their own (after openLog: the file exists and is migrated);
  // if it cannot start, on the server's own connection, as a team log's are.
  const writer = isPostgresUrl(target) || !existsSync(WRITER_ENTRY) ? null : await startWriter(target, io.env, say);
  // Once the writer thread and its checkpointer run: their start set V8's flags back.
  heap.again();
  const auth = opts.auth === false ? noAuth(repName(opts, io.env), rate) : tokenAuth(log, rate);
  const app = await buildApp({
    live,
    log,
    checker: checker(log, groupedRecorder(log, writer ? onThread(writer, log) : undefined)),
    auth,
    say,
    loopback: isLoopback(opts.host),
    ...(opts.now ? { now: opts.now } : {}),
  });
  let address: string;
  try {
    address = await app.listen({ host: opts.host, port });
  } catch (e) {
    live.stop();
    await writer?.close();
    throw usageError(`cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}`);
  }
  io.out.write(`${address}/\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  // Fastify stops accepting, waits for the requests in flight; main.ts then closes the log.
  await app.close();
  await writer?.close();
  live.stop();
  heap.stop();
  // The last lines, before main.ts closes the log and exits.
  await new Promise((resolve) => setImmediate(resolve));
  return EXIT.ok;
}

/**
 * The log's writer thread on a SQLite log, started after openLog (the file exists and is migrated),
 * or null if it cannot open the log: then the checks are written on the server's own connection.
 */
async function startWriter(target: string, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<WriterThread | null> {
  // Its heap holds a group's rows at a time: a small young generation, or V8 grows it to its default most (RSS).
  const thread = WriterThread.start(WRITER_ENTRY, { target, env, longRunning: true }, { heap: { maxYoungGenerationSizeMb: 4 } });
  try {
    await thread.ready;
  } catch (e) {
    say(JSON.stringify({ time: new Date().toISOString(), message: `checks are written on the server's thread: ${(e as Error).message}` }));
    await thread.close();
    return null;
  }
  // The server's listening socket keeps the process alive, not the writer.
  thread.unref();
  return thread;
}
