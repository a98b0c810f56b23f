// Entry point: declares the commands and turns every outcome into an exit code.
// Each command's module is imported only when that command runs, so `--help` and
// `validate` never load SQLite, prompts or tables.
import { Command, CommanderError } from 'commander';
import { EXIT, type ExitCode } from '../errors.js';
import { VERSION } from '../version.js';
import { type Io, processIo, reportFailure } from './io.js';

const io = processIo();

const program = new Command('promise')
  .description('Checks sales promises against what the company can really deliver.')
  .version(VERSION)
  .showHelpAfterError('(run promise --help for usage)')
  .exitOverride();

/** The common options of CLI.md, on every command that reads capabilities. */
function common(cmd: Command, { log = true } = {}): Command {
  cmd
    .option('--capabilities <file>', 'capabilities file (else $PROMISE_CAPABILITIES, else ./capabilities.yaml)')
    .option('--now <iso>', 'fix the current instant (ISO 8601; without offset: company time zone)')
    .option('--json', 'machine-readable output');
  if (log) {
    cmd
      .option('--log <file>', 'log database (else $PROMISE_LOG, else ~/.local/share/promise/log.db)')
      .option('--no-log', 'do not record anything')
      .option('--rep <name>', 'who makes the promise (else $PROMISE_REP, else the OS user)')
      .option('--customer <name>', 'who the promise is made to')
      .option('--no-input', 'never prompt');
  }
  return cmd;
}

type Run = (...args: never[]) => ExitCode | Promise<ExitCode>;
/** Wraps a lazily imported command so its exit code reaches main(). */
const action =
  <M>(load: () => Promise<M>, pick: (m: M) => Run) =>
  async (...args: unknown[]) => {
    const run = pick(await load()) as (...a: unknown[]) => ExitCode | Promise<ExitCode>;
    // commander passes (args..., options, command); commands take (args..., options, io),
    // with a parent's options merged in (`log --log X verify`).
    const command = args[args.length - 1] as Command;
    try {
      exitCode = await run(...args.slice(0, -2), command.optsWithGlobals(), io);
    } finally {
      // A server connection would keep the process alive; files close with it.
      await (await import('../log/log.js')).closeLogs();
    }
  };

let exitCode: ExitCode = EXIT.ok;

common(program.command('check'))
  .description('check a delivery or service promise (exit 0 feasible, 3 at risk, 1 infeasible, 2 bad input, 4 log failure)')
  .option('--sku <sku>', 'delivery: product')
  .option('--qty <n>', 'delivery: units')
  .option('--to <region>', 'delivery: destination region')
  .option('--by <date>', 'delivery: date (YYYY-MM-DD, +10d, +3w, friday, "5 December")')
  .option('--method <method>', 'delivery: only lanes of this method')
  .option('--from <location>', 'delivery: only this location')
  .option('--line <sku:qty>', 'order: a line (repeat for each line; with --to and --by)', (value: string, previous: string[] = []) => [...previous, value])
  .option('--service <id>', 'service: which service')
  .option('--region <region>', 'service: where')
  .option('--response-hours <h>', 'service: promised response, business hours')
  .option('--hours <window>', "service: '24x7' or like 'mon-fri 08:00-18:00'")
  .option('--input <file>', 'batch: NDJSON, JSON array or CSV of promises (- for stdin)')
  .option('--commit', 'batch: each feasible promise becomes a commitment, in order')
  .action(
    action(
      () => import('../commands/check/check.js'),
      (m) => m.runCheck,
    ),
  );

common(program.command('validate').argument('[file]', 'capabilities file'), { log: false })
  .description('validate a capabilities file: schema and cross-references (exit 0 valid, 2 invalid)')
  .option('--format <format>', 'text, json or github', 'text')
  .option('--strict', 'warnings fail too')
  .action(
    action(
      () => import('../commands/validate/validate.js'),
      (m) => m.runValidate,
    ),
  );

const log = common(program.command('log'), { log: true })
  .description('list recorded checks (table, --json or --csv)')
  .option('--since <date>', 'recorded on or after this date (YYYY-MM-DD)')
  .option('--sku <sku>', 'only this sku')
  .option('--verdict <verdict>', 'feasible, at_risk or infeasible')
  .option('--status <status>', 'checked, held, expired, open, released, met or missed')
  .option('--limit <n>', 'at most this many rows, newest first', '1000')
  .option('--csv', 'CSV output')
  .action(
    action(
      () => import('../commands/log/log.js'),
      (m) => m.runLog,
    ),
  );
common(log.command('verify'))
  .description('verify the hash chain over checks and commitment events, and SQLite integrity')
  .action(
    action(
      () => import('../commands/log/verify/verify.js'),
      (m) => m.runLogVerify,
    ),
  );

common(log.command('copy'))
  .description('copy every check and event of the log (--log) to --to TARGET, a file or a postgres:// URL, which then verifies')
  .option('--to <target>', 'the log to copy into: a file path or a postgres:// URL')
  .option('--append', 'add after the checks TARGET already holds (new ids; the mapping is printed)')
  .action(
    action(
      () => import('../commands/log/copy/copy.js'),
      (m) => m.runLogCopy,
    ),
  );
common(program.command('commit').argument('<id>', 'check id'))
  .description('mark a checked promise (or --alternative N) as made: it now holds stock (exit 1 if it no longer fits)')
  .option('--alternative <n>', "commit the check's alternative N instead")
  .option('--hold-until <date>', 'a quote: holds stock until the end of this day, then nothing (confirm it with promise confirm)')
  .option('--note <text>', 'what the customer expects beyond the promise, for operations (promise handoff)')
  .option('--ref <ref>', 'the order number in the CRM or ERP (outcome --input finds the commitment by it)')
  .action(
    action(
      () => import('../commands/commit/commit.js'),
      (m) => m.runCommit,
    ),
  );
common(program.command('confirm').argument('<id>', 'check id'))
  .description('turn a held quote into a firm commitment (exit 1 if an expired quote no longer fits)')
  .action(
    action(
      () => import('../commands/confirm/confirm.js'),
      (m) => m.runConfirm,
    ),
  );
common(program.command('release').argument('<id>', 'check id'))
  .description('cancel a commitment: its stock and capacity are free again')
  .action(
    action(
      () => import('../commands/release/release.js'),
      (m) => m.runRelease,
    ),
  );
common(program.command('outcome').argument('[id]', 'check id'))
  .description('record what happened to a commitment (or many: --input)')
  .option('--input <file>', "outcomes in bulk: CSV or NDJSON of ref or id, delivered, qty, note ('-': stdin)")
  .option('--met', 'delivered as promised')
  .option('--missed', 'not delivered as promised')
  .option('--on <date>', "when it happened (YYYY-MM-DD, from the check's day to today; default today in the company zone)")
  .option('--note <text>', 'what happened')
  .action(
    action(
      () => import('../commands/outcome/outcome.js'),
      (m) => m.runOutcome,
    ),
  );
common(program.command('recheck'))
  .description('re-check every open commitment against the current capabilities (exit 1 if any broke)')
  .option('--notices <dir>', 'write a customer notice (notice-ID.md) for every broken commitment into this folder')
  .option('--template <file>', 'the notice template (default: templates/notice.md)')
  .action(
    action(
      () => import('../commands/recheck/recheck.js'),
      (m) => m.runRecheck,
    ),
  );
common(program.command('stats'))
  .description('promised vs. delivered: hit rate and at-risk/infeasible share by sku, region and rep')
  .option('--since <date>', 'checks recorded on or after this date')
  .option('--csv', 'CSV output')
  .option('--by <dimensions>', 'group by sku, region, rep and/or month (comma-separated)', 'sku,region,rep')
  .option('--constraints', 'where to invest: the constraint behind each lost check and broken commitment, and how much more would have won it')
  .action(
    action(
      () => import('../commands/stats/stats.js'),
      (m) => m.runStats,
    ),
  );
common(program.command('calibrate'))
  .description('how late each lane and lead time really ran, and the days that would have met a target (--check: exit 1 if the file promises faster)')
  .option('--target <share>', 'share of past deliveries the declared days must cover', '0.95')
  .option('--since <date>', 'deliveries on or after this date only')
  .option('--min-samples <n>', 'fewer outcomes than this: not enough evidence, no suggestion', '20')
  .option('--format <format>', 'table, json or patch (a unified diff of the capabilities file)')
  .option('--write', 'write the suggestions into the capabilities file (validated first)')
  .option('--check', 'exit 1 when the file promises faster than the history allows at the target')
  .action(
    action(
      () => import('../commands/calibrate/calibrate.js'),
      (m) => m.runCalibrate,
    ),
  );
common(program.command('replay').argument('<id>', 'check id'))
  .description('re-run a past check on its recorded capabilities, now and commitments (exit 1 if it differs)')
  .action(
    action(
      () => import('../commands/replay/replay.js'),
      (m) => m.runReplay,
    ),
  );

common(program.command('handoff'))
  .description('every firm commitment and live quote as operations needs it (table, csv, json, or an iCalendar feed)')
  .option('--from <location>', 'only shipments from this location')
  .option('--since <date>', 'shipping on or after this date')
  .option('--until <date>', 'shipping on or before this date')
  .option('--format <format>', 'table, csv, json or ics', 'table')
  .action(
    action(
      () => import('../commands/handoff/handoff.js'),
      (m) => m.runHandoff,
    ),
  );
common(program.command('report'))
  .description('one self-contained HTML page: hit rate by month, at-risk and infeasible share, lateness, lost demand')
  .option('--html <file>', 'where to write the page')
  .option('--since <date>', 'checks recorded on or after this date')
  .action(
    action(
      () => import('../commands/report/report.js'),
      (m) => m.runReport,
    ),
  );
common(program.command('capabilities'))
  .description('print, in plain words, what the company can and cannot promise today')
  .option('--format <format>', 'text or markdown', 'text')
  .option('--region <region>', 'only this region')
  .option('--sku <sku>', 'only this product')
  .option('--qty <list>', 'the quantities to quote dates for', '1,10,100')
  .action(
    action(
      () => import('../commands/capabilities/capabilities.js'),
      (m) => m.runCapabilities,
    ),
  );

program
  .command('schema')
  .description('print the JSON Schema of the capabilities file (for editors)')
  .action(
    action(
      () => import('../commands/schema/schema.js'),
      (m) => m.runSchema,
    ),
  );

program
  .command('init')
  .argument('[file]', 'where to write it', 'capabilities.yaml')
  .description('write a capabilities file to start from: guided questions at a terminal, a commented skeleton without one')
  .option('--force', 'replace the file if it exists')
  .option('--no-input', 'never prompt: write the commented skeleton')
  .option('--now <iso>', 'fix the current instant (its year starts calendar.years)')
  .action(
    action(
      () => import('../commands/init/init.js'),
      (m) => m.runInit,
    ),
  );
program
  .command('completion')
  .argument('<shell>', 'bash, zsh or fish')
  .description('print a completion script: commands, flags, and the skus, regions, services, locations and methods of the capabilities file')
  .action(
    action(
      () => import('../commands/completion/completion.js'),
      (m) => (shell: string, _opts: unknown, io: Io) => m.runCompletion(shell, commandShapes(program), io),
    ),
  );
common(program.command('__complete', { hidden: true }).argument('<kind>'), { log: false }).action(
  action(
    () => import('../commands/completion/completion.js'),
    (m) => m.runCompleteValues,
  ),
);

/** Every visible command with its flags, for completion scripts. */
function commandShapes(root: Command): { path: string[]; flags: string[]; valueFlags: string[] }[] {
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

// A reader that goes away (`promise log | head`) ends the output quietly, as with
// any Unix tool; what was checked is already in the log.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') process.stderr.write(`promise: cannot write output: ${e.message}\n`);
  process.exit(e.code === 'EPIPE' ? exitCode : EXIT.usage);
});

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    exitCode = failureExitCode(e);
  }
  process.exitCode = exitCode;
}

function failureExitCode(e: unknown): ExitCode {
  // Help and version are successes; every other commander error is bad usage,
  // and commander has already said what was wrong.
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return reportFailure(e, io);
}

await main();
