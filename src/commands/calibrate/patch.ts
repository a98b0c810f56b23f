// calibrate --format patch / --write: the suggested days written into the
// capabilities text itself. Only the number's own characters change (found by
// the yaml Document's source ranges), so every comment and the layout stay as
// they were; the diff is unified, for `patch -p1` or a pull request.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { type CalibrationRow, laneEntryDays } from '../../core/learn/calibrate.js';
import { laneKey } from '../../core/learn/factors.js';
import type { Policy } from '../../core/model.js';

export interface Edit {
  /** What is changed, for messages: "berlin standard lane", "PUMP-900 make_to_order.lead_days". */
  what: string;
  from: number;
  to: number;
}

/** A figure the file does not hold (it comes from a feed): the feed and column to change instead. */
export interface FeedEdit {
  sku: string;
  feed: string;
  column: string;
  from: number;
  to: number;
}

export interface Patched {
  text: string;
  edits: Edit[];
  feedEdits: FeedEdit[];
}

/** The capabilities text with the suggestions of `rows` written in. */
export function applySuggestions(text: string, caps: Pick<Policy, 'locations' | 'supply'>, rows: readonly CalibrationRow[]): Patched {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const replacements: { start: number; end: number; value: number }[] = [];
  const edits: Edit[] = [];
  const feedEdits: FeedEdit[] = [];
  const byKey = new Map(rows.map((r) => [`${r.factor} ${r.key}`, r]));
  const scalarAt = (path: (string | number)[]) => {
    const node = doc.getIn(path, true);
    return isScalar(node) && node.range ? node : null;
  };
  caps.locations.forEach((loc, i) => {
    loc.lanes.forEach((lane, j) => {
      const regionRows = lane.to.map((region) => byKey.get(`lane ${laneKey(loc.id, lane.method, region)}`)).filter((r) => r !== undefined);
      const days = laneEntryDays(regionRows, lane.transit_days);
      const node = scalarAt(['locations', i, 'lanes', j, 'transit_days']);
      if (days === null || !node) return;
      replacements.push({ start: node.range![0], end: node.range![1], value: days });
      edits.push({ what: `${loc.id} ${lane.method} lane to ${lane.to.join(', ')} transit_days`, from: lane.transit_days, to: days });
    });
  });
  const products = doc.get('products', true);
  const yamlIndex = new Map<string, number>();
  if (isSeq(products)) {
    products.items.forEach((p, i) => {
      if (isMap(p)) yamlIndex.set(String(p.get('sku')), i);
    });
  }
  for (const r of rows) {
    if ((r.factor !== 'make_to_order' && r.factor !== 'replenishment') || r.suggested === null || r.suggested === r.declared) continue;
    const index = yamlIndex.get(r.key);
    const node = index === undefined ? null : scalarAt(['products', index, r.factor, 'lead_days']);
    if (node) {
      replacements.push({ start: node.range![0], end: node.range![1], value: r.suggested });
      edits.push({ what: `${r.key} ${r.factor}.lead_days`, from: r.declared, to: r.suggested });
    } else if (r.factor === 'replenishment' && caps.supply?.products) {
      feedEdits.push({ sku: r.key, feed: caps.supply.products, column: 'replenishment_days', from: r.declared, to: r.suggested });
    }
  }
  replacements.sort((a, b) => b.start - a.start);
  let out = text;
  for (const r of replacements) out = out.slice(0, r.start) + String(r.value) + out.slice(r.end);
  return { text: out, edits, feedEdits };
}

/** A unified diff of two texts with the same lines but some changed (as applySuggestions makes), 3 lines of context. */
export function unifiedDiff(before: string, after: string, path: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  // Only numbers change in place: line counts match. Anything else is a whole-file hunk.
  const changed = a.length === b.length ? a.map((line, i) => line !== b[i]).flatMap((c, i) => (c ? [i] : [])) : null;
  const head = `--- a/${path}\n+++ b/${path}\n`;
  const noEol = (lines: string[]) => (lines.at(-1) === '' ? lines.slice(0, -1) : lines);
  if (changed === null) {
    const x = noEol(a);
    const y = noEol(b);
    return `${head}@@ -1,${x.length} +1,${y.length} @@\n${x.map((l) => `-${l}\n`).join('')}${y.map((l) => `+${l}\n`).join('')}`;
  }
  const last = noEol(a).length - 1;
  const hunks: { from: number; to: number }[] = [];
  for (const i of changed) {
    const from = Math.max(0, i - 3);
    const to = Math.min(last, i + 3);
    const prev = hunks.at(-1);
    if (prev && from <= prev.to + 1) prev.to = to;
    else hunks.push({ from, to });
  }
  let out = head;
  for (const h of hunks) {
    const n = h.to - h.from + 1;
    out += `@@ -${h.from + 1},${n} +${h.from + 1},${n} @@\n`;
    // A changed line: its removal then its replacement, in place.
    for (let i = h.from; i <= h.to; i++) out += a[i] === b[i] ? ` ${a[i]}\n` : `-${a[i]}\n+${b[i]}\n`;
  }
  return out;
}
