// Verdicts and the reasons behind them. A rule that fails says what it costs the
// promise (at risk or infeasible); the verdict is the worst of those.

export type Verdict = 'feasible' | 'at_risk' | 'infeasible';

export interface Reason {
  rule: string;
  ok: boolean;
  /** Present on failed rules: what the failure does to the verdict. */
  effect?: 'at_risk' | 'infeasible';
  message: string;
  /** In an order: the line (1-based) the reason is about. */
  line?: number;
}

export const pass = (rule: string, message: string): Reason => ({ rule, ok: true, message });
export const fail = (rule: string, effect: 'at_risk' | 'infeasible', message: string): Reason => ({ rule, ok: false, effect, message });

export function verdictOf(reasons: readonly Reason[]): Verdict {
  if (reasons.some((r) => r.effect === 'infeasible')) return 'infeasible';
  if (reasons.some((r) => r.effect === 'at_risk')) return 'at_risk';
  return 'feasible';
}
