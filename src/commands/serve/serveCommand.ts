// `promise serve`: the JSON API under /v1, the page for reps and MCP at /mcp (SERVE.md);
// fastify and the MCP SDK load only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function serveCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('serve'))
    .description('the JSON API under /v1, a page for reps at /, and MCP at /mcp')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free one; the URL is printed)', '8787')
    .option('--no-auth', 'no tokens (refused unless listening on loopback only); requests act as --rep')
    .option('--rate <n>', 'requests per minute per token', '600')
    .action(
      lazyAction(
        ctx,
        () => import('./serve.js'),
        (m) => m.runServe,
      ),
    );
}
