// `promise recheck`: its flags; the run function (recheck.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function recheckCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('recheck'))
    .description('re-check every open commitment against the current capabilities (exit 1 if any broke)')
    .option('--notices <dir>', 'write a customer notice (notice-ID.md) for every broken commitment into this folder')
    .option('--template <file>', 'the notice template (default: templates/notice.md)')
    .option('--apply', 'write the new plans: holds move to where the units now come from (default: a dry run)')
    .action(
      lazyAction(
        ctx,
        () => import('./recheck.js'),
        (m) => m.runRecheck,
      ),
    );
}
