// What every entry of the CLI shares: the program's settings, one invocation, the process
// entry. Two entries use it: main.ts (every command) and checkMain.ts (`promise check`
// alone, a bundle of its own that bin/promise.js loads for a check: it reads, compiles
// and initialises none of the other commands). Importing this module runs nothing.
import { Command, CommanderError } from 'commander';
import { EXIT, type ExitCode } from '../errors.js';
import { VERSION } from '../version.js';
import type { CliContext } from './declare.js';
import { type Io, processIo, reportFailure } from './io.js';

/** A command's declaration (src/commands/<name>/<name>Command.ts). */
export type Declare = (parent: Command, ctx: CliContext) => Command;

/** The program with these commands declared, in this order. */
export function programOf(ctx: CliContext, commands: readonly Declare[]): Command {
  const program = new Command('promise')
    .description('Checks sales promises against what the company can really deliver.')
    .version(VERSION)
    .showHelpAfterError('(run promise --help for usage)')
    // Help and usage errors go where the command's output goes (subcommands inherit this).
    .configureOutput({ writeOut: (s) => ctx.io.out.write(s), writeErr: (s) => ctx.io.err.write(s) })
    .exitOverride()
    // A command's options before its subcommand only: after `log grant`, --rep is grant's flag, not `log --rep NAME`.
    .enablePositionalOptions();
  for (const declare of commands) declare(program, ctx);
  return program;
}

/** Runs one invocation (`argv` as process.argv: node, script, args...) with the program `build` gives for its first argument. */
export async function runWith(
  build: (ctx: CliContext, first: string | undefined) => Command,
  argv: readonly string[],
  io: Io,
  ctx: CliContext = { io, exitCode: EXIT.ok },
): Promise<ExitCode> {
  if (argv.slice(2).some(passwordInUrl))
    io.err.write('promise: warning: a password in a postgres:// URL on the command line is visible in the process list; use PGPASSWORD or ~/.pgpass\n');
  try {
    await build(ctx, argv[2]).parseAsync([...argv]);
  } catch (e) {
    ctx.exitCode = failureExitCode(e, io);
  }
  return ctx.exitCode;
}

/** The process entry point (bin/promise.js) of a bundle whose program `build` gives. */
export async function mainWith(build: (ctx: CliContext, first: string | undefined) => Command, argv: readonly string[]): Promise<void> {
  const io = processIo();
  const ctx: CliContext = { io, exitCode: EXIT.ok };
  // A reader that goes away (`promise log | head`) ends the output quietly, as with
  // any Unix tool; what was checked is already in the log.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(`promise: cannot write output: ${e.message}\n`);
    process.exit(e.code === 'EPIPE' ? ctx.exitCode : EXIT.usage);
  });
  process.exitCode = await runWith(build, argv, io, ctx);
}

/**
 * A postgres:// URL with a password (user:password@ or ?password=), alone or as
 * --flag=URL. Only the command line is looked at: anyone on the machine can read
 * it (ps), while $PROMISE_LOG is the user's own environment, as PGPASSWORD is.
 */
function passwordInUrl(arg: string): boolean {
  const value = arg.replace(/^--[\w-]+=/, '');
  if (!/^postgres(ql)?:\/\//i.test(value)) return false;
  return /^[^/]*\/\/[^/?#]*:[^/?#]*@/.test(value) || /[?&]password=/i.test(value);
}

function failureExitCode(e: unknown, io: Io): ExitCode {
  // Help and version are successes; every other commander error is bad usage,
  // and commander has already said what was wrong.
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return reportFailure(e, io);
}
