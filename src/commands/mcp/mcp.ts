// promise mcp: the MCP tools over stdio, for a desktop assistant. The assistant
// acts as the rep of this process (--rep, $PROMISE_REP, the OS user) with every
// scope: whoever runs it could run the CLI too. stdout belongs to the protocol.
import type { Io } from '../../cli/io.js';
import { type CommonOptions, capabilitiesPath, clockOf, logTarget, repName } from '../../cli/options.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { openLog } from '../../log/log.js';
import { checker } from '../../serve/checking.js';
import { LiveCapabilities } from '../../serve/live.js';
import { mcpServer } from '../../serve/mcp.js';
import { boundHeap } from '../../serve/memory.js';
import { standalone } from '../../serve/standalone.js';
import { groupedRecorder, takingTurns } from '../../serve/writes.js';

export function runMcp(opts: CommonOptions, io: Io): Promise<ExitCode> {
  return standalone(io, () => mcp(opts, io));
}

async function mcp(opts: CommonOptions, io: Io): Promise<ExitCode> {
  if (opts.log === false) throw usageError('promise mcp records every check: --no-log does not apply');
  const heap = boundHeap();
  const live = await LiveCapabilities.start(capabilitiesPath(opts, io.env), (line) => void io.err.write(`promise: ${line}\n`));
  if ('failed' in live) throw usageError(live.failed);
  // A --now that does not read fails here, once, not in every request.
  clockOf(opts).at(live.current.loaded.caps.timezone);
  const log = takingTurns(await openLog(logTarget(opts, io.env), { env: io.env, longRunning: true }));
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const server = mcpServer(
    { live, log, checker: checker(log, groupedRecorder(log)), ...(opts.now ? { now: opts.now } : {}) },
    { rep: repName(opts, io.env), scope: 'commit', tokenId: null },
  );
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
  live.stop();
  heap.stop();
  return EXIT.ok;
}
