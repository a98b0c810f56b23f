// `promise outcome`: its flags; the run function (outcome.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function outcomeCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('outcome').argument('[id]', 'check id'))
    .description('record what happened to a commitment (or many: --input)')
    .option('--input <file>', "outcomes in bulk: CSV or NDJSON of ref or id, delivered, qty, note ('-': stdin)")
    .option('--met', 'delivered as promised')
    .option('--missed', 'not delivered as promised')
    .option('--on <date>', "when it happened (YYYY-MM-DD, from the check's day to today; default today in the company zone)")
    .option('--note <text>', 'what happened')
    .action(
      lazyAction(
        ctx,
        () => import('./outcome.js'),
        (m) => m.runOutcome,
      ),
    );
}
