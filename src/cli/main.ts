// The program: which commands there are, in the order `--help` lists them. Each
// command declares its own flags in src/commands/<name>/<name>Command.ts and
// imports its run function only when it runs, so `--help` and `validate` never
// load SQLite, prompts or tables. Importing this module runs nothing: bin/promise.js
// calls main(), tests call buildProgram() or run().
import type { Command } from 'commander';
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
import type { ExitCode } from '../errors.js';
import type { CliContext } from './declare.js';
import type { Io } from './io.js';
import { mainWith, programOf, runWith } from './program.js';

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
 * (bin/promise.js runs a check from its own bundle, checkMain.ts; this is the same program.)
 */
export function buildProgram(ctx: CliContext, only?: string): Command {
  return programOf(ctx, only === 'check' ? [checkCommand] : COMMANDS);
}

/** Runs one invocation (`argv` as process.argv: node, script, args...) and returns its exit code. */
export function run(argv: readonly string[], io: Io, ctx?: CliContext): Promise<ExitCode> {
  return runWith(buildProgram, argv, io, ctx);
}

/** The process entry point (bin/promise.js). */
export function main(argv: readonly string[] = process.argv): Promise<void> {
  return mainWith(buildProgram, argv);
}
