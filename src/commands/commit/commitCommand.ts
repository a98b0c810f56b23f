// `promise commit`: its flags; the run function (commit.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function commitCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('commit').argument('<id>', 'check id'))
    .description('mark a checked promise (or --alternative N) as made: it now holds stock (exit 1 if it no longer fits)')
    .option('--alternative <n>', "commit the check's alternative N instead")
    .option('--hold-until <date>', 'a quote: holds stock until the end of this day, then nothing (confirm it with promise confirm)')
    .option('--note <text>', 'what the customer expects beyond the promise, for operations (promise handoff)')
    .option('--ref <ref>', 'the order number in the CRM or ERP (outcome --input finds the commitment by it)')
    .action(
      lazyAction(
        ctx,
        () => import('./commit.js'),
        (m) => m.runCommit,
      ),
    );
}
