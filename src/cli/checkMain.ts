// `promise check`'s own entry: bin/promise.js loads its bundle (dist/check.cjs) when the
// first argument is `check`. The same program as main.ts builds for a check (only `check`
// declared, src/cli/main.test.ts checks its help and usage errors), without the other
// commands: a check reads, compiles and initialises none of their code.
import { checkCommand } from '../commands/check/checkCommand.js';
import { mainWith, programOf } from './program.js';

/** The process entry point (bin/promise.js). */
export function main(argv: readonly string[] = process.argv): Promise<void> {
  return mainWith((ctx) => programOf(ctx, [checkCommand]), argv);
}
