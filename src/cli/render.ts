// How a check result looks: the --json object of CLI.md, and the human view.
// Text that came from input (skus, customers, reasons quoting them) is escaped
// before it reaches a terminal: an ANSI sequence or a bidi override in a customer
// name must not recolour, hide or reorder what a rep reads.

import type { ChalkInstance } from 'chalk';
import type { Alternative, CheckOutcome, Plan } from '../core/checkPromise.js';
import type { SalesPromise } from '../core/promise.js';
import { responseText } from '../core/service/terms.js';
import type { Io, Output } from './io.js';

/** The --json result of CLI.md (built as text by log/outcomeJson.ts). */
export interface CheckJson {
  id: number | null;
  verdict: CheckOutcome['verdict'];
  promise: SalesPromise;
  plan: Plan | null;
  reasons: CheckOutcome['reasons'];
  alternatives: Omit<Alternative, 'holds'>[];
  now: string;
  capabilities_sha256: string;
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow';
/** Text in the styles given (the outer first), or as it is where there is no colour. */
export type Paint = (text: string, ...styles: Style[]) => string;

const plain: Paint = (text) => text;

/**
 * Colour only at a terminal, never with NO_COLOR (CLI.md) or on a dumb terminal. chalk loads
 * only then: its colour detection loads node:tty and costs ~370 KB of heap (a scavenge), which
 * every check into a pipe, --json included, paid before.
 */
export async function colours(io: Pick<Io, 'env'>, stream: Output): Promise<Paint> {
  if (stream.isTTY !== true || 'NO_COLOR' in io.env || io.env.TERM === 'dumb') return plain;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 }); // the view's five styles are all basic ones
  return (text, ...styles) => styles.reduce<ChalkInstance>((c, style) => c[style], chalk)(text);
}

// Controls (C0, DEL, C1), bidi embeddings/overrides/isolates and marks, zero-width characters.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Shows invisible and controlling characters as \u{…} so they can be seen, not obeyed. */
export const printable = (text: string): string => text.replace(UNPRINTABLE, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`);

/** printable, and line breaks shown too: a value inside a line of output must not start a line of its own (a forged "#7 HOLDS"). */
export const oneLine = (text: string): string =>
  printable(text).replace(/[\r\n\u2028\u2029]/g, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`);

export function describePromise(p: SalesPromise): string {
  if (p.kind !== 'service') {
    const extra = [p.from && `from ${p.from}`, p.method && `by ${p.method}`].filter(Boolean).join(' ');
    const what = p.kind === 'order' ? `order of ${p.lines.map((l) => `${l.qty} × ${l.sku}`).join(', ')}` : `${p.qty} × ${p.sku}`;
    return printable(`${what} to ${p.to} by ${p.by}${extra ? ` (${extra})` : ''}`);
  }
  return printable(`${p.service} in ${p.region}: response within ${p.response_hours} h, ${p.hours}`);
}

export function describePlan(plan: Plan): string {
  if ('lines' in plan) return `every line there by ${plan.delivery_date} (${plan.spare_days} spare workday${plan.spare_days === 1 ? '' : 's'})`;
  if ('delivery_date' in plan) {
    const how = { stock: '', make_to_order: ' (made to order)', stock_and_make_to_order: ' (from stock and made to order)', replenishment: ' (bought in)' }[
      plan.source
    ];
    return `ships from ${plan.from}${how} by ${plan.method} on ${plan.ship_date}, arrives ${plan.delivery_date} (${plan.spare_days} spare workday${plan.spare_days === 1 ? '' : 's'})`;
  }
  const due = plan.due_if_requested_now ? `; a request now is due by ${plan.due_if_requested_now}` : '';
  return `${plan.service} in ${plan.region} responds ${responseText(plan.response_hours, plan.hours)} (${plan.timezone})${due}`;
}

/** `c`: from colours(), for where the view goes. */
export function renderCheck(json: CheckJson, c: Paint = plain): string {
  const badge = {
    feasible: c('✔ FEASIBLE', 'green', 'bold'),
    at_risk: c('▲ AT RISK', 'yellow', 'bold'),
    infeasible: c('✘ INFEASIBLE', 'red', 'bold'),
  }[json.verdict];
  const lines = [`${badge}  ${describePromise(json.promise)}${json.id !== null ? c(`  (check #${json.id})`, 'dim') : ''}`];
  if (json.plan) lines.push(`  Plan: ${describePlan(json.plan)}`);
  // An order: its date first, then one line per order line.
  if (json.plan && 'lines' in json.plan && json.promise.kind === 'order') {
    const order = json.promise;
    for (const [i, plan] of json.plan.lines.entries())
      lines.push(`   ${i + 1}. ${printable(`${order.lines[i]!.qty} × ${order.lines[i]!.sku}`)}: ${describePlan(plan)}`);
  }
  for (const r of json.reasons) {
    const mark = r.ok ? c('✔', 'green') : r.effect === 'at_risk' ? c('▲', 'yellow') : c('✘', 'red');
    lines.push(`  ${mark} ${c(`${r.line === undefined ? '' : `line ${r.line} `}${r.rule}:`, 'dim')} ${printable(r.message)}`);
  }
  if (json.alternatives.length > 0) {
    lines.push('', '  What you can promise instead:');
    for (const [i, a] of json.alternatives.entries()) lines.push(`   ${i + 1}. ${printable(a.summary)}${c(`  [${a.kind}]`, 'dim')}`);
    if (json.id !== null) lines.push(c(`  Commit one with: promise commit ${json.id} --alternative N`, 'dim'));
  } else if (json.verdict === 'infeasible') {
    lines.push('', '  Nothing close to this promise can be made.');
  }
  return `${lines.join('\n')}\n`;
}
