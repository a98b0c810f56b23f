// `promise handoff`: its flags; the run function (handoff.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function handoffCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('handoff'), { json: false })
    .description('every firm commitment and live quote as operations needs it (table, csv, json, or an iCalendar feed)')
    .option('--from <location>', 'only shipments from this location')
    .option('--since <date>', 'shipping on or after this date')
    .option('--until <date>', 'shipping on or before this date')
    .option('--format <format>', 'table, csv, json or ics', 'table')
    .action(
      lazyAction(
        ctx,
        () => import('./handoff.js'),
        (m) => m.runHandoff,
      ),
    );
}
