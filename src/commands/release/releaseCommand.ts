// `promise release`: its flags; the run function (release.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function releaseCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('release').argument('<id>', 'check id'))
    .description('cancel a commitment: its stock and capacity are free again')
    .action(
      lazyAction(
        ctx,
        () => import('./release.js'),
        (m) => m.runRelease,
      ),
    );
}
