// `promise log verify`: its flags; the run function (verify.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../../cli/declare.js';

export function logVerifyCommand(log: Command, ctx: CliContext): Command {
  return withCommonOptions(log.command('verify'))
    .description('verify the hash chain over checks and commitment events, the kept capabilities texts, and SQLite integrity')
    .option('--head <token>', 'also prove the log still extends a head `promise log head` printed earlier')
    .action(
      lazyAction(
        ctx,
        () => import('./verify.js'),
        (m) => m.runLogVerify,
      ),
    );
}
