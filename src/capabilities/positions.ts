// Maps a path inside the parsed data back to line:column of its YAML node.
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { PathKey } from './problem.js';

export function locate(doc: Document, lines: LineCounter, path: PathKey[], atKey = false): { line: number; column: number } {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const step of path) {
    const next = child(node, step);
    if (!next) break; // missing: point at the deepest node that exists
    node = next.value;
    keyNode = next.key;
  }
  const target = (atKey && keyNode) || (node as Node | null | undefined) || keyNode;
  const offset = target?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function child(node: unknown, step: PathKey): { key?: Node; value: unknown } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(step)) {
        return { key: pair.key, value: pair.value ?? pair.key };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof step === 'number') {
    const item = node.items[step];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}
