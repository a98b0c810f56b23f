// `promise log head`: its flags; the run function (head.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../../cli/declare.js';

export function logHeadCommand(log: Command, ctx: CliContext): Command {
  return withCommonOptions(log.command('head'))
    .description("print the chains' head as a token to publish; log verify --head TOKEN later proves the log extends it")
    .action(
      lazyAction(
        ctx,
        () => import('./head.js'),
        (m) => m.runLogHead,
      ),
    );
}
