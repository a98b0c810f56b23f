// What every command's declaration shares (gh's cmdutil): the common options of
// CLI.md and the wrapper that imports a command's run function only when it runs,
// so `--help` and `validate` never load SQLite, prompts or tables. Kept light:
// each src/commands/<name>/<name>Command.ts imports this and commander only.
import type { Command } from 'commander';
import type { ExitCode } from '../errors.js';
import type { Io } from './io.js';

/** One invocation: where commands write, and the exit code the last one returned. */
export interface CliContext {
  readonly io: Io;
  exitCode: ExitCode;
}

/** The common options of CLI.md, on every command that reads capabilities. */
/** The common options of CLI.md, on every command that reads capabilities. `json: false`: the command has --format instead (one way to do each thing). */
export function withCommonOptions(cmd: Command, { log = true, json = true } = {}): Command {
  cmd
    .option('--capabilities <file>', 'capabilities file (else $PROMISE_CAPABILITIES, else ./capabilities.yaml)')
    .option('--now <iso>', 'fix the current instant (ISO 8601; without offset: company time zone)');
  if (json) cmd.option('--json', 'machine-readable output');
  if (log) {
    cmd
      .option('--log <file>', 'log database (else $PROMISE_LOG, else ~/.local/share/promise/log.db)')
      .option('--no-log', 'do not record anything')
      .option('--rep <name>', 'who makes the promise (else $PROMISE_REP, else the OS user)')
      .option('--customer <name>', 'who the promise is made to')
      .option('--no-input', 'never prompt');
    // --no-log and --log FILE share one value, the last one given: `--no-log --log FILE` recorded the check.
    // --no-log wins in any order; FILE is then the log read for its commitments, never written.
    let named: string | undefined;
    let noLog = false;
    cmd.on('option:log', (file: string) => {
      named = file;
    });
    cmd.on('option:no-log', () => {
      noLog = true;
    });
    cmd.hook('preAction', () => {
      if (!noLog) return;
      cmd.setOptionValue('log', false);
      if (named !== undefined) cmd.setOptionValue('readLog', named);
    });
  }
  return cmd;
}

type Run = (...args: never[]) => ExitCode | Promise<ExitCode>;

/**
 * An action that imports the command's module when it runs and hands its exit
 * code to the context. `pick` chooses the run function (it sees the commander
 * command, for the one command that needs the whole program: completion).
 */
export const lazyAction =
  <M>(ctx: CliContext, load: () => Promise<M>, pick: (m: M, command: Command) => Run) =>
  async (...args: unknown[]) => {
    // commander passes (args..., options, command); commands take (args..., options, io),
    // with a parent's options merged in (`log --log X verify`).
    const command = args[args.length - 1] as Command;
    const run = pick(await load(), command) as (...a: unknown[]) => ExitCode | Promise<ExitCode>;
    try {
      ctx.exitCode = await run(...args.slice(0, -2), command.optsWithGlobals(), ctx.io);
    } finally {
      // A server connection would keep the process alive; files close with it.
      await (await import('../log/log.js')).closeLogs();
    }
  };
