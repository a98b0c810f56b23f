// `promise report`: its flags; the run function (report.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function reportCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('report'), { json: false })
    .description('one self-contained HTML page: hit rate by month, at-risk and infeasible share, lateness, lost demand')
    .option('--html <file>', 'where to write the page')
    .option('--since <date>', 'checks recorded on or after this date')
    .action(
      lazyAction(
        ctx,
        () => import('./report.js'),
        (m) => m.runReport,
      ),
    );
}
