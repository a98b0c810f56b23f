// Reads promises for a batch: NDJSON, a JSON array, or CSV with a header row,
// told apart by the first non-blank character. NDJSON and CSV stream (flat memory
// however long the input); a JSON array is read whole.
import { createReadStream, statSync } from 'node:fs';
import { unknownField } from '../../core/promise.js';
import { usageError } from '../../errors.js';

export type BatchItem = { line: number; fields: Record<string, unknown> } | { line: number; error: string };

/** The items of a batch, with consecutive rows sharing an `order` value made one order (ORDERS.md). */
export async function* readBatch(file: string, stdin: NodeJS.ReadableStream): AsyncGenerator<BatchItem> {
  yield* groupOrders(readItems(file, stdin));
}

/** Fields an order's rows must agree on; `sku` and `qty` become its lines. */
const ORDER_WIDE = ['to', 'by', 'method', 'from', 'customer'] as const;

async function* groupOrders(items: AsyncIterable<BatchItem>): AsyncGenerator<BatchItem> {
  let group: { line: number; order: string; rows: Record<string, unknown>[] } | null = null;
  const close = (g: NonNullable<typeof group>): BatchItem => {
    const [first, ...rest] = g.rows as [Record<string, unknown>, ...Record<string, unknown>[]];
    const differs = ORDER_WIDE.find((k) => rest.some((r) => (r[k] ?? '') !== (first[k] ?? '')));
    if (differs) return { line: g.line, error: `order "${g.order}": its rows must share ${differs}` };
    const { sku: _sku, qty: _qty, ...wide } = first;
    return { line: g.line, fields: { ...wide, lines: g.rows.map((r) => ({ sku: r.sku, qty: r.qty })) } };
  };
  for await (const item of items) {
    const order = 'fields' in item && typeof item.fields.order === 'string' && item.fields.order !== '' ? item.fields.order : null;
    if (group && order !== group.order) {
      yield close(group);
      group = null;
    }
    if (order === null || !('fields' in item)) {
      yield item;
      continue;
    }
    group ??= { line: item.line, order, rows: [] };
    group.rows.push(item.fields);
  }
  if (group) yield close(group);
}

/**
 * Records of any CSV or NDJSON (or JSON array) input, as a batch reads them;
 * `unknownColumn` says what is wrong with a CSV header it does not know (outcome --input).
 */
export async function* readItems(
  file: string,
  stdin: NodeJS.ReadableStream,
  unknownColumn: (name: string) => string | null = unknownField,
): AsyncGenerator<BatchItem> {
  const stream = file === '-' ? stdin : await openInput(file);
  stream.setEncoding('utf8');
  const chunks = (stream as AsyncIterable<string>)[Symbol.asyncIterator]();
  const rest: AsyncIterable<string> = { [Symbol.asyncIterator]: () => chunks };
  // Read until the first non-blank character tells the format.
  let head = '';
  while (head.replace(BOM, '').trim() === '') {
    const next = await chunks.next();
    if (next.done) return;
    head += next.value;
  }
  const first = head.replace(BOM, '').trimStart()[0];
  if (first === '[' || first === '{') yield* jsonItems(first === '[' ? 'json' : 'ndjson', linesOf(head, rest));
  else yield* csvItems(file, head, rest, unknownColumn);
}

const BOM = /^\uFEFF/;

async function* jsonItems(format: 'json' | 'ndjson', lines: AsyncIterable<string>): AsyncGenerator<BatchItem> {
  let json = '';
  let n = 0;
  for await (const raw of lines) {
    const text = ++n === 1 ? raw.replace(BOM, '') : raw;
    if (format === 'json') json += `${text}\n`;
    else if (text.trim() !== '') yield parseJsonLine(text, n);
  }
  if (format === 'json') yield* jsonArrayItems(json);
}

/** CSV with a header row, parsed as supply feeds are (src/csv.ts): quoted fields may hold line breaks. */
async function* csvItems(file: string, head: string, rest: AsyncIterable<string>, unknownColumn: (name: string) => string | null): AsyncGenerator<BatchItem> {
  const { csvRecords } = await import('../../csv.js');
  let header: string[] | null = null;
  for await (const { fields, line } of csvRecords(head, rest)) {
    if (header === null) {
      header = fields.map((h) => h.trim().toLowerCase());
      // A column we do not know would silently drop a constraint: the whole file is refused.
      for (const name of header) {
        const unknown = unknownColumn(name);
        if (unknown) throw usageError(`${file}:${line}: ${unknown.replace('field', 'column')}`);
      }
    } else if (fields.length !== header.length) {
      yield { line, error: `has ${fields.length} fields, the header has ${header.length}` };
    } else {
      yield { line, fields: Object.fromEntries(header.map((h, i) => [h, fields[i]!.trim()])) };
    }
  }
}

/** A file to read, or one clear line on why it cannot be (a directory opens, then fails to read). */
async function openInput(file: string): Promise<NodeJS.ReadableStream> {
  const cannot = (e: NodeJS.ErrnoException) =>
    usageError(`--input ${file}: ${{ ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied' }[e.code ?? ''] ?? e.message}`);
  try {
    if (statSync(file).isDirectory()) return Promise.reject(usageError(`--input ${file}: is a directory, not a file of promises`));
  } catch (e) {
    throw cannot(e as NodeJS.ErrnoException);
  }
  const stream = createReadStream(file, { encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) => reject(cannot(e)));
  });
  return stream;
}

/**
 * Lines of a stream, read a chunk at a time: the stream is only read as fast as
 * lines are consumed, so memory stays flat however long the input (readline's
 * iterator buffers ahead of a slow consumer).
 */
async function* linesOf(head: string, chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of withHead(head, chunks)) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const line of parts) yield line.endsWith('\r') ? line.slice(0, -1) : line;
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

async function* withHead(head: string, chunks: AsyncIterable<string>): AsyncGenerator<string> {
  yield head;
  yield* chunks;
}

function parseJsonLine(text: string, line: number): BatchItem {
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { line, error: 'is not a JSON object' };
    return { line, fields: value as Record<string, unknown> };
  } catch {
    return { line, error: 'is not valid JSON' };
  }
}

function* jsonArrayItems(text: string): Generator<BatchItem> {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (e) {
    throw usageError(`--input: not a valid JSON array (${(e as Error).message})`);
  }
  if (!Array.isArray(items)) throw usageError('--input: expected a JSON array of promises');
  for (const [i, value] of items.entries()) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) yield { line: i + 1, error: 'is not a JSON object' };
    else yield { line: i + 1, fields: value as Record<string, unknown> };
  }
}
