// Customer notices for broken commitments (FOLLOW-UP.md "Telling the customer,
// early"): a message the rep can send as it is. It states only what the check
// and the capabilities say: what was promised and to whom, why it no longer
// holds, the most realistic promise now (the fresh check's), and an apology.
// The wording is one template (templates/notice.md); a company adapts it with
// --template FILE. Placeholders: {{id}} {{customer}} {{checked_on}} {{promised}}
// {{reason}} {{offer}} {{rep}} {{company}}.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describePlan, describePromise } from '../../cli/render.js';
import type { Replanned } from '../../core/commitments/replan.js';
import { usageError } from '../../errors.js';
import type { CheckRow } from '../../log/log.js';

export interface Notice {
  id: number;
  customer: string;
  checked_on: string;
  promised: string;
  reason: string;
  offer: string;
  rep: string;
  company: string;
}

/** templates/notice.md of this package, found upward from this module (in dist/ or in src/ alike). */
function shippedTemplate(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'templates', 'notice.md');
  }
  return 'templates/notice.md';
}

export function noticeTemplate(file?: string): string {
  const path = file ?? shippedTemplate();
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw usageError(`--template ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** A broken commitment, or one delivered later than planned; a split names every part, as promised and as it stands. */
export function noticeOf(result: Replanned, row: CheckRow, company: string): Notice {
  const alternative = result.alternatives[0];
  const split = result.parts.length > 1;
  const offer = split
    ? `As it stands now: ${result.parts
        .map(
          (p) =>
            `${describePromise(p.promise)}: ${p.now ? `it ${describePlan(p.now)}` : `not possible as promised${alternative ? ` (what we can promise instead: ${alternative.summary})` : ''}`}`,
        )
        .join('; ')}`
    : alternative
      ? `What we can promise you now: ${alternative.summary}`
      : result.parts[0]?.now
        ? `What we can promise you now: it ${describePlan(result.parts[0].now)}.`
        : 'Today we cannot make you a promise close to this one; we will come back to you as soon as we can.';
  const later = result.status !== 'broken' && result.later;
  const reason = later
    ? result.parts
        .filter((p) => p.was && p.now)
        .map(
          (p) =>
            `${split ? `${describePromise(p.promise)} ` : ''}now arrives ${(p.now as { delivery_date: string }).delivery_date}, not ${(p.was as { delivery_date: string }).delivery_date} as planned`,
        )
        .join('; ')
    : (result.reason ?? 'our plan for it no longer works');
  return {
    id: result.id,
    customer: row.customer ?? 'customer',
    checked_on: row.now.slice(0, 10),
    promised: result.parts.map((p) => describePromise(p.promise)).join('; then '),
    reason,
    offer,
    rep: row.rep,
    company,
  };
}

/**
 * A value as plain text inside markdown: on one line (a line break or CR must not
 * start a heading or forge a header line of a custom template), control
 * characters dropped, and every character markdown or HTML would act on
 * backslash-escaped (CommonMark: any ASCII punctuation may be), so a customer
 * named `[pay here](javascript:…)`, `<img onerror=…>` or `# URGENT` reads as
 * written and does nothing. `&` is escaped only where it would start an entity.
 */
export function markdownText(value: string): string {
  return value
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[\\`*_{}[\]<>#!|~]/g, '\\$&')
    .replace(/&(?=#?\w+;)/g, '\\&')
    .replace(/^([-+=]|\d+[.)])(?=\s|$)/, '\\$1');
}

export const renderNotice = (template: string, n: Notice): string =>
  template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in n ? markdownText(String(n[key as keyof Notice])) : whole));
