// One line of a batch's output, the same from the batch (batch.ts) and from its
// writer thread (src/cli/writer.ts), which prints the chunks it records.
import { describePlan, describePromise } from '../../cli/render.js';
import type { CheckOutcome } from '../../core/checkPromise.js';
import { checkJsonLine, type OutcomeJson } from '../../log/outcomeJson.js';

/** How a batch prints: --json or the text view; `now` and `sha256` as every --json line has them. */
export interface BatchPrint {
  json: boolean;
  now: string;
  sha256: string;
}

/**
 * With --json, the result of CLI.md with its input line; else the line number, the verdict, the
 * promise and the plan (or the first alternative): only the text view asks for the outcome.
 */
export function batchLine(
  line: number,
  outcome: () => Pick<CheckOutcome, 'verdict' | 'promise' | 'plan' | 'alternatives'>,
  json: OutcomeJson,
  id: number | null,
  print: BatchPrint,
): string {
  if (print.json) return checkJsonLine(json, id, print.now, print.sha256, line);
  const { verdict, promise, plan, alternatives } = outcome();
  const instead = plan ? `: ${describePlan(plan)}` : alternatives[0] ? `; instead: ${alternatives[0].summary}` : '';
  return `${String(line).padStart(6)}  ${verdict.padEnd(10)}  ${describePromise(promise)}${instead}\n`;
}
