// `promise mcp`: the Model Context Protocol over stdio, for a desktop AI assistant (SERVE.md).
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function mcpCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('mcp'))
    .description('the Model Context Protocol over stdio, for a desktop AI assistant')
    .action(
      lazyAction(
        ctx,
        () => import('./mcp.js'),
        (m) => m.runMcp,
      ),
    );
}
