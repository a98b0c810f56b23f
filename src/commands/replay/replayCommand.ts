// `promise replay`: its flags; the run function (replay.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function replayCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('replay').argument('<id>', 'check id'))
    .description('re-run a past check on its recorded capabilities, now and commitments (exit 1 if it differs)')
    .action(
      lazyAction(
        ctx,
        () => import('./replay.js'),
        (m) => m.runReplay,
      ),
    );
}
