// `promise init`: its flags; the run function (init.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction } from '../../cli/declare.js';

export function initCommand(parent: Command, ctx: CliContext): Command {
  return parent
    .command('init')
    .argument('[file]', 'where to write it', 'capabilities.yaml')
    .description('write a capabilities file to start from: guided questions at a terminal, a commented skeleton without one')
    .option('--force', 'replace the file if it exists')
    .option('--no-input', 'never prompt: write the commented skeleton')
    .option('--now <iso>', 'fix the current instant (its year starts calendar.years)')
    .action(
      lazyAction(
        ctx,
        () => import('./init.js'),
        (m) => m.runInit,
      ),
    );
}
