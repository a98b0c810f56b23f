// `promise token add|list|revoke`: API tokens for promise serve and MCP over HTTP (SERVE.md).
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function tokenCommand(parent: Command, ctx: CliContext): Command {
  const token = parent.command('token').description('API tokens for promise serve and promise mcp over HTTP (kept hashed in the log)');
  withCommonOptions(token.command('add').argument('<rep>', 'the rep the token acts as (recorded on every check it makes)'))
    .description('print a new token once; the log keeps only its hash')
    .option('--scope <scope>', 'read, check or commit (each includes the ones before)', 'check')
    .action(
      lazyAction(
        ctx,
        () => import('./token.js'),
        (m) => m.runTokenAdd,
      ),
    );
  withCommonOptions(token.command('list'))
    .description('the tokens, their reps and scopes (never the secrets)')
    .action(
      lazyAction(
        ctx,
        () => import('./token.js'),
        (m) => m.runTokenList,
      ),
    );
  withCommonOptions(token.command('revoke').argument('<id>', 'token id (promise token list)'))
    .description('the token no longer opens anything')
    .action(
      lazyAction(
        ctx,
        () => import('./token.js'),
        (m) => m.runTokenRevoke,
      ),
    );
  return token;
}
