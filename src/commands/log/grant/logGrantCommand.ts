// `promise log grant`: its flags; the run function (grant.ts) loads only when it runs.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../../cli/declare.js';

export function logGrantCommand(log: Command, ctx: CliContext): Command {
  // Not the common --rep NAME: here --rep says what the role is.
  return withCommonOptions(log.command('grant'), { log: false })
    .option('--log <url>', 'the team log (else $PROMISE_LOG), connected as its owner for --apply')
    .description("print (or with --apply run) a team log's grants for a database role: a rep, operations, or the owner's")
    .argument('<role>', 'the PostgreSQL role')
    .option('--rep', 'checks, commitments and outcomes, recorded as the role')
    .option('--ops', 'reads everything; releases, outcomes and re-plans, never a check')
    .option('--owner', "acts as the log's owner: migrations, tokens, rows recorded as any rep (promise serve)")
    .option('--apply', 'run the grants on the log (connected as its owner) instead of printing them')
    .action(
      lazyAction(
        ctx,
        () => import('./grant.js'),
        (m) => m.runLogGrant,
      ),
    );
}
