// `promise completion` and the hidden `__complete` the scripts call back for
// values; the run functions (completion.ts) load only when they run.
import type { Command } from 'commander';
import { type CliContext, lazyAction, withCommonOptions } from '../../cli/declare.js';
import type { Io } from '../../cli/io.js';

export function completionCommand(parent: Command, ctx: CliContext): Command {
  const completion = parent
    .command('completion')
    .argument('<shell>', 'bash, zsh or fish')
    .description('print a completion script: commands, flags, and the skus, regions, services, locations and methods of the capabilities file')
    .action(
      lazyAction(
        ctx,
        () => import('./completion.js'),
        (m, command) => (shell: string, _opts: unknown, io: Io) => m.runCompletion(shell, commandShapes(command.parent!), io),
      ),
    );
  withCommonOptions(parent.command('__complete', { hidden: true }).argument('<kind>'), { log: false }).action(
    lazyAction(
      ctx,
      () => import('./completion.js'),
      (m) => m.runCompleteValues,
    ),
  );
  return completion;
}

/** Every visible command with its flags, for completion scripts. */
export function commandShapes(root: Command): { path: string[]; flags: string[]; valueFlags: string[] }[] {
  const out: { path: string[]; flags: string[]; valueFlags: string[] }[] = [];
  const walk = (cmd: Command, path: string[]) => {
    for (const sub of cmd.commands) {
      if ((sub as Command & { _hidden?: boolean })._hidden) continue;
      const here = [...path, sub.name()];
      const options = sub.options.filter((o) => o.long);
      out.push({ path: here, flags: options.map((o) => o.long!), valueFlags: options.filter((o) => o.required || o.optional).map((o) => o.long!) });
      walk(sub, here);
    }
  };
  walk(root, []);
  return out;
}
