// `promise log verify`: its flags; the run function (verify.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../../cli/declare.js';

export function logVerifyCommand(log: Command, ctx: CliContext): Command {
  return withCommonOptions(log.command('verify'))
    .description('verify the hash chain over checks and commitment events, and SQLite integrity')
    .action(
      lazyAction(
        ctx,
        () => import('./verify.js'),
        (m) => m.runLogVerify,
      ),
    );
}
