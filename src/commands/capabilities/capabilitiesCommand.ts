// `promise capabilities`: its flags; the run function (capabilities.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';

export function capabilitiesCommand(parent: Command, ctx: CliContext): Command {
  return withCommonOptions(parent.command('capabilities'))
    .description('print, in plain words, what the company can and cannot promise today')
    .option('--format <format>', 'text or markdown', 'text')
    .option('--region <region>', 'only this region')
    .option('--sku <sku>', 'only this product')
    .option('--qty <list>', 'the quantities to quote dates for', '1,10,100')
    .action(
      lazyAction(
        ctx,
        () => import('./capabilities.js'),
        (m) => m.runCapabilities,
      ),
    );
}
