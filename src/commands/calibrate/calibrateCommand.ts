// `promise calibrate`: its flags; the run function (calibrate.ts) loads only when it runs (LEARN.md).
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function calibrateCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('calibrate'))
    .description('how late each lane and lead time really ran, and the days that would have met a target (--check: exit 1 if the file promises faster)')
    .option('--target <share>', 'share of past deliveries the declared days must cover', '0.95')
    .option('--since <date>', 'deliveries on or after this date only')
    .option('--min-samples <n>', 'fewer outcomes than this: not enough evidence, no suggestion', '20')
    .option('--format <format>', 'table, json or patch (a unified diff of the capabilities file)')
    .option('--write', 'write the suggestions into the capabilities file (validated first)')
    .option('--check', 'exit 1 when the file promises faster than the history allows at the target')
    .action(
      lazyAction(
        ctx,
        () => import('./calibrate.js'),
        (m) => m.runCalibrate,
      ),
    );
}
