// `promise confirm`: its flags; the run function (confirm.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function confirmCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('confirm').argument('<id>', 'check id'))
    .description('turn a held quote into a firm commitment (exit 1 if an expired quote no longer fits)')
    .action(
      lazyAction(
        ctx,
        () => import('./confirm.js'),
        (m) => m.runConfirm,
      ),
    );
}
