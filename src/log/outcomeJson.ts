// A check outcome as JSON, stringified once in pieces: the --json result of
// CLI.md and the log row are both assembled from the same pieces, so a batch
// does not serialize every result twice, and a replay compares like with like.
import type { Alternative, CheckOutcome } from '../core/checkPromise.js';
import type { Hold } from '../core/commitments/ledger.js';

export interface OutcomeJson {
  verdict: CheckOutcome['verdict'];
  promise: string;
  plan: string;
  reasons: string;
  /** Alternatives as shown, without what each would hold. */
  alternatives: string;
  holds: string;
  alternativeHolds: string;
}

export function outcomeJson(o: CheckOutcome): OutcomeJson {
  return {
    verdict: o.verdict,
    promise: JSON.stringify(o.promise),
    plan: JSON.stringify(o.plan),
    reasons: JSON.stringify(o.reasons),
    // Most lines of a batch have none: no copies to make or serialize.
    alternatives: o.alternatives.length === 0 ? '[]' : JSON.stringify(o.alternatives.map(({ holds: _holds, ...shown }) => shown)),
    holds: JSON.stringify(o.holds),
    alternativeHolds: o.alternatives.length === 0 ? '[]' : JSON.stringify(o.alternatives.map((a) => a.holds)),
  };
}

/** The `result` column of a log row. */
export const resultText = (j: OutcomeJson): string =>
  `{"plan":${j.plan},"reasons":${j.reasons},"alternatives":${j.alternatives},"holds":${j.holds},"alternative_holds":${j.alternativeHolds}}`;

/** Back from a log row's promise and result columns. */
export function parseOutcome(verdict: CheckOutcome['verdict'], promise: string, result: string): CheckOutcome {
  const r = JSON.parse(result) as Pick<CheckOutcome, 'plan' | 'reasons' | 'holds'> & {
    alternatives: Omit<Alternative, 'holds'>[];
    alternative_holds: Hold[][];
  };
  return {
    verdict,
    promise: JSON.parse(promise),
    plan: r.plan,
    reasons: r.reasons,
    alternatives: r.alternatives.map((a, i) => ({ ...a, holds: r.alternative_holds[i] ?? [] })),
    holds: r.holds,
  };
}

/** The --json result of one check (CLI.md), as one line; `line` is added for batch input. */
export function checkJsonLine(j: OutcomeJson, id: number | null, now: string, sha256: string, line?: number): string {
  const head = line === undefined ? '' : `"line":${line},`;
  return (
    `{${head}"id":${id},"verdict":"${j.verdict}","promise":${j.promise},"plan":${j.plan},"reasons":${j.reasons},` +
    `"alternatives":${j.alternatives},"now":${JSON.stringify(now)},"capabilities_sha256":"${sha256}"}\n`
  );
}
