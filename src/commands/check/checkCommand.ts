// `promise check`: its flags; the run function (check.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function checkCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('check'))
    .description('check a delivery or service promise (exit 0 feasible, 3 at risk, 1 infeasible, 2 bad input, 4 log failure)')
    .option('--sku <sku>', 'delivery: product')
    .option('--qty <n>', 'delivery: units')
    .option('--to <region>', 'delivery: destination region')
    .option('--by <date>', 'delivery: date (YYYY-MM-DD, +10d, +3w, friday, "5 December")')
    .option('--method <method>', 'delivery: only lanes of this method')
    .option('--from <location>', 'delivery: only this location')
    .option('--line <sku:qty>', 'order: a line (repeat for each line; with --to and --by)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--service <id>', 'service: which service')
    .option('--region <region>', 'service: where')
    .option('--response-hours <h>', 'service: promised response, business hours')
    .option('--hours <window>', "service: '24x7' or like 'mon-fri 08:00-18:00'")
    .option('--input <file>', 'batch: NDJSON, JSON array or CSV of promises (- for stdin)')
    .option('--commit', 'batch: each feasible promise becomes a commitment, in order')
    .action(
      lazyAction(
        ctx,
        () => import('./check.js'),
        (m) => m.runCheck,
      ),
    );
}
