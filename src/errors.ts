// The one place failures become exit codes. Core code returns errors as values;
// the edges wrap them in a Failure, and main.ts turns that into a line on stderr
// and the documented exit code.

export const EXIT = {
  ok: 0,
  infeasible: 1,
  usage: 2,
  atRisk: 3,
  log: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** `no-log`: the log named does not exist yet (bad usage for a command that reads it; nothing to read for --no-log). */
export type FailureKind = 'usage' | 'log' | 'no-log';

export class Failure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
  get exitCode(): ExitCode {
    return this.kind === 'log' ? EXIT.log : EXIT.usage;
  }
}

export const usageError = (message: string) => new Failure('usage', message);
export const logError = (message: string) => new Failure('log', message);
export const noLogThere = (name: string) => new Failure('no-log', `no log at ${name} (nothing has been recorded there; check --log or $PROMISE_LOG)`);

/** SEMANTICS.md: 1 if any infeasible, else 3 if any at risk, else 0. */
export function exitForVerdicts(verdicts: Iterable<'feasible' | 'at_risk' | 'infeasible'>): ExitCode {
  let code: ExitCode = EXIT.ok;
  for (const v of verdicts) {
    if (v === 'infeasible') return EXIT.infeasible;
    if (v === 'at_risk') code = EXIT.atRisk;
  }
  return code;
}
