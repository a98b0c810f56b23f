// `promise stats`: its flags; the run function (stats.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function statsCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('stats'))
    .description('promised vs. delivered: hit rate and at-risk/infeasible share by sku, region and rep')
    .option('--since <date>', 'checks recorded on or after this date')
    .option('--csv', 'CSV output')
    .option('--by <dimensions>', 'group by sku, region, rep and/or month (comma-separated)', 'sku,region,rep')
    .option('--constraints', 'where to invest: the constraint behind each lost check and broken commitment, and how much more would have won it')
    .action(
      lazyAction(
        ctx,
        () => import('./stats.js'),
        (m) => m.runStats,
      ),
    );
}
