// `promise schema`: the run function (schema.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction } from '../../cli/declare.js';

export function schemaCommand(parent: Command, ctx: CliContext): Command {
  return parent
    .command('schema')
    .description('print the JSON Schema of the capabilities file (for editors)')
    .action(
      lazyAction(
        ctx,
        () => import('./schema.js'),
        (m) => m.runSchema,
      ),
    );
}
