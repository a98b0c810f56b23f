// `promise log copy`: its flags; the run function (copyLog.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../../cli/declare.js';

export function logCopyCommand(log: Command, ctx: CliContext): Command {
  return withCommonOptions(log.command('copy'))
    .description('copy every check and event of the log (--log) to --to TARGET, a file or a postgres:// URL, which then verifies')
    .option('--to <target>', 'the log to copy into: a file path or a postgres:// URL')
    .option('--append', 'add after the checks TARGET already holds (new ids; the mapping is printed)')
    .action(
      lazyAction(
        ctx,
        () => import('./copyLog.js'),
        (m) => m.runLogCopy,
      ),
    );
}
