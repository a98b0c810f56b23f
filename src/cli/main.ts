// The program: which commands there are, in the order `--help` lists them. Each
// command declares its own flags in src/commands/<name>/<name>Command.ts and
// imports its run function only when it runs, so `--help` and `validate` never
// load SQLite, prompts or tables. Importing this module runs nothing: bin/promise.js
// calls main(), tests call buildProgram() or run().
import { Command, CommanderError } from 'commander';
import { calibrateCommand } from '../commands/calibrate/calibrateCommand.js';
import { capabilitiesCommand } from '../commands/capabilities/capabilitiesCommand.js';
import { checkCommand } from '../commands/check/checkCommand.js';
import { commitCommand } from '../commands/commit/commitCommand.js';
import { completionCommand } from '../commands/completion/completionCommand.js';
import { confirmCommand } from '../commands/confirm/confirmCommand.js';
import { handoffCommand } from '../commands/handoff/handoffCommand.js';
import { initCommand } from '../commands/init/initCommand.js';
import { logCommand } from '../commands/log/logCommand.js';
import { mcpCommand } from '../commands/mcp/mcpCommand.js';
import { outcomeCommand } from '../commands/outcome/outcomeCommand.js';
import { recheckCommand } from '../commands/recheck/recheckCommand.js';
import { releaseCommand } from '../commands/release/releaseCommand.js';
import { replayCommand } from '../commands/replay/replayCommand.js';
import { reportCommand } from '../commands/report/reportCommand.js';
import { schemaCommand } from '../commands/schema/schemaCommand.js';
import { serveCommand } from '../commands/serve/serveCommand.js';
import { statsCommand } from '../commands/stats/statsCommand.js';
import { tokenCommand } from '../commands/token/tokenCommand.js';
import { validateCommand } from '../commands/validate/validateCommand.js';
import { EXIT, type ExitCode } from '../errors.js';
import { VERSION } from '../version.js';
import type { CliContext } from './declare.js';
import { type Io, processIo, reportFailure } from './io.js';

/** Every command, in the order `promise --help` lists them. */
export const COMMANDS = [
  checkCommand,
  validateCommand,
  logCommand,
  commitCommand,
  confirmCommand,
  releaseCommand,
  outcomeCommand,
  recheckCommand,
  statsCommand,
  calibrateCommand,
  replayCommand,
  handoffCommand,
  reportCommand,
  capabilitiesCommand,
  tokenCommand,
  serveCommand,
  mcpCommand,
  schemaCommand,
  initCommand,
  completionCommand,
] as const;

/**
 * The program; `only`, a command named on the command line, declares just that one when
 * it can stand alone: a check does not pay for the other commands' ~150 flags. Every
 * other run (help, completion, a mistyped name that wants suggestions) gets them all.
 */
export function buildProgram(ctx: CliContext, only?: string): Command {
  const program = new Command('promise')
    .description('Checks sales promises against what the company can really deliver.')
    .version(VERSION)
    .showHelpAfterError('(run promise --help for usage)')
    // Help and usage errors go where the command's output goes (subcommands inherit this).
    .configureOutput({ writeOut: (s) => ctx.io.out.write(s), writeErr: (s) => ctx.io.err.write(s) })
    .exitOverride()
    // A command's options before its subcommand only: after `log grant`, --rep is grant's flag, not `log --rep NAME`.
    .enablePositionalOptions();
  for (const declare of only === 'check' ? [checkCommand] : COMMANDS) declare(program, ctx);
  return program;
}

/** Runs one invocation (`argv` as process.argv: node, script, args...) and returns its exit code. */
export async function run(argv: readonly string[], io: Io, ctx: CliContext = { io, exitCode: EXIT.ok }): Promise<ExitCode> {
  if (argv.slice(2).some(passwordInUrl))
    io.err.write('promise: warning: a password in a postgres:// URL on the command line is visible in the process list; use PGPASSWORD or ~/.pgpass\n');
  try {
    await buildProgram(ctx, argv[2]).parseAsync([...argv]);
  } catch (e) {
    ctx.exitCode = failureExitCode(e, io);
  }
  return ctx.exitCode;
}

/** The process entry point (bin/promise.js). */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const io = processIo();
  const ctx: CliContext = { io, exitCode: EXIT.ok };
  // A reader that goes away (`promise log | head`) ends the output quietly, as with
  // any Unix tool; what was checked is already in the log.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(`promise: cannot write output: ${e.message}\n`);
    process.exit(e.code === 'EPIPE' ? ctx.exitCode : EXIT.usage);
  });
  process.exitCode = await run(argv, io, ctx);
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
