// `promise log` (lists recorded checks) and its subcommands verify, head, copy and grant,
// each declared in its own folder; run functions load only when they run.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';
import { logCopyCommand } from './copy/logCopyCommand.js';
import { logGrantCommand } from './grant/logGrantCommand.js';
import { logHeadCommand } from './head/logHeadCommand.js';
import { logVerifyCommand } from './verify/logVerifyCommand.js';

export function logCommand(parent: Command, ctx: CliContext): Command {
  const log = withCommonOptions(parent.command('log'), { log: true })
    .description('list recorded checks (table, --json or --csv)')
    .option('--since <date>', 'recorded on or after this date (YYYY-MM-DD)')
    .option('--sku <sku>', 'only this sku')
    .option('--verdict <verdict>', 'feasible, at_risk or infeasible')
    .option('--status <status>', 'checked, held, expired, open, released, met or missed')
    .option('--limit <n>', 'at most this many rows, newest first', '1000')
    .option('--csv', 'CSV output')
    .action(
      lazyAction(
        ctx,
        () => import('./listChecks.js'),
        (m) => m.runLog,
      ),
    );
  logVerifyCommand(log, ctx);
  logHeadCommand(log, ctx);
  logCopyCommand(log, ctx);
  logGrantCommand(log, ctx);
  return log;
}
