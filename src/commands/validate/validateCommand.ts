// `promise validate`: its flags; the run function (validate.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function validateCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('validate').argument('[file]', 'capabilities file'), { log: false, json: false })
    .description('validate a capabilities file: schema and cross-references (exit 0 valid, 2 invalid)')
    .option('--format <format>', 'text, json or github', 'text')
    .option('--strict', 'warnings fail too')
    .action(
      lazyAction(
        ctx,
        () => import('./validate.js'),
        (m) => m.runValidate,
      ),
    );
}
