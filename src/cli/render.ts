// How a check result looks: the --json object of CLI.md, and the human view.
import { Chalk } from 'chalk';
import type { Alternative, CheckOutcome, Plan } from '../core/check.js';
import type { Promise_ } from '../core/promise.js';

/** The --json result of CLI.md (built as text by log/outcomeJson.ts). */
export interface CheckJson {
  id: number | null;
  verdict: CheckOutcome['verdict'];
  promise: Promise_;
  plan: Plan | null;
  reasons: CheckOutcome['reasons'];
  alternatives: Omit<Alternative, 'holds'>[];
  now: string;
  capabilities_sha256: string;
}


/** Colour only for a terminal, and never with NO_COLOR (chalk checks TTY and FORCE_COLOR). */
export function colours(stream: NodeJS.WriteStream = process.stdout) {
  const off = 'NO_COLOR' in process.env || !stream.isTTY;
  return new Chalk(off ? { level: 0 } : {});
}

export function describePromise(p: Promise_): string {
  if (p.kind === 'delivery') {
    const extra = [p.from && `from ${p.from}`, p.method && `by ${p.method}`].filter(Boolean).join(' ');
    return `${p.qty} × ${p.sku} to ${p.to} by ${p.by}${extra ? ` (${extra})` : ''}`;
  }
  return `${p.service} in ${p.region}: response within ${p.response_hours} h, ${p.hours}`;
}

export function describePlan(plan: Plan): string {
  if ('delivery_date' in plan) {
    const built = plan.source === 'make_to_order' ? ' (made to order)' : '';
    return `ships from ${plan.from}${built} by ${plan.method} on ${plan.ship_date}, arrives ${plan.delivery_date} (${plan.spare_days} spare workday${plan.spare_days === 1 ? '' : 's'})`;
  }
  const due = plan.due_if_requested_now ? `; a request now is due by ${plan.due_if_requested_now}` : '';
  return `${plan.service} in ${plan.region} responds within ${plan.response_hours} business hours, ${plan.hours} (${plan.timezone})${due}`;
}

export function renderCheck(json: CheckJson): string {
  const c = colours();
  const badge = {
    feasible: c.green.bold('✔ FEASIBLE'),
    at_risk: c.yellow.bold('▲ AT RISK'),
    infeasible: c.red.bold('✘ INFEASIBLE'),
  }[json.verdict];
  const lines = [`${badge}  ${describePromise(json.promise)}${json.id !== null ? c.dim(`  (check #${json.id})`) : ''}`];
  if (json.plan) lines.push(`  Plan: ${describePlan(json.plan)}`);
  for (const r of json.reasons) {
    const mark = r.ok ? c.green('✔') : r.effect === 'at_risk' ? c.yellow('▲') : c.red('✘');
    lines.push(`  ${mark} ${c.dim(`${r.rule}:`)} ${r.message}`);
  }
  if (json.alternatives.length > 0) {
    lines.push('', '  What you can promise instead:');
    json.alternatives.forEach((a, i) => lines.push(`   ${i + 1}. ${a.summary}${c.dim(`  [${a.kind}]`)}`));
    if (json.id !== null) lines.push(c.dim(`  Commit one with: promise commit ${json.id} --alternative N`));
  } else if (json.verdict === 'infeasible') {
    lines.push('', '  Nothing close to this promise can be made.');
  }
  return `${lines.join('\n')}\n`;
}
