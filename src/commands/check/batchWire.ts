// A chunk of checks as the writer thread is sent it (batchWriter.ts): the values
// as UTF-8 in ONE buffer, each behind its length, moved to the thread without a
// copy (a transfer). Measured on the 100k batch, the checking thread paid ~1.3 s
// to join a chunk's texts into one string and ~0.8 s for postMessage to flatten
// and copy a string built by +=; a structured clone of 5,000 outcome objects costs
// more still. Encoding into a buffer costs it one pass over the bytes.
import { Buffer } from 'node:buffer';
import type { CheckOutcome } from '../../core/checkPromise.js';
import type { CheckToRecord } from '../../log/log.js';
import type { OutcomeJson } from '../../log/outcomeJson.js';
import type { BatchPrint } from './batchLine.js';

export interface PackedChunk {
  now: string;
  rep: string;
  /** How the thread prints the chunk once it is recorded. */
  print: BatchPrint;
  /** Per check: verdict, promise, plan, reasons, alternatives, holds, alternativeHolds, customer (texts), eventsSeen, its input line (doubles). */
  bytes: ArrayBuffer;
  length: number;
}

/** A text's length in bytes before it, -1 for null. */
const NULL = -1;

/**
 * The checks of one chunk, each packed as it comes (all with the same now and
 * rep, as a batch records them), beside its input line and customer; their
 * verdicts are pushed to `verdicts`.
 */
export function packChecks(
  checks: Iterable<Pick<CheckToRecord, 'json' | 'eventsSeen'>>,
  rows: readonly { line: number; customer: string | null }[],
  now: string,
  rep: string,
  print: BatchPrint,
  verdicts: string[] = [],
): PackedChunk {
  // Not from Node's pool: its whole ArrayBuffer is the chunk's, to transfer.
  let buf = Buffer.allocUnsafeSlow(Math.max(1 << 16, rows.length * 4096));
  let at = 0;
  const room = (n: number) => {
    if (at + n <= buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(buf.length * 2, at + n));
    buf.copy(bigger, 0, 0, at);
    buf = bigger;
  };
  const put = (s: string | null) => {
    if (s === null) {
      room(4);
      at = buf.writeInt32LE(NULL, at);
      return;
    }
    // A UTF-16 unit is at most 3 bytes of UTF-8: with that much room, write() never cuts a text short.
    room(4 + s.length * 3);
    const n = buf.write(s, at + 4, 'utf8');
    buf.writeInt32LE(n, at);
    at += 4 + n;
  };
  let i = 0;
  for (const { json: j, eventsSeen } of checks) {
    const { line, customer } = rows[i++]!;
    verdicts.push(j.verdict);
    put(j.verdict);
    put(j.promise);
    put(j.plan);
    put(j.reasons);
    put(j.alternatives);
    put(j.holds);
    put(j.alternativeHolds);
    put(customer);
    room(16);
    at = buf.writeDoubleLE(eventsSeen, at);
    at = buf.writeDoubleLE(line, at);
  }
  return { now, rep, print, bytes: buf.buffer as ArrayBuffer, length: at };
}

/**
 * Back to what the store records. Of the outcome, checkRows reads only the
 * verdict and the promise: the promise comes back from its own JSON.
 */
export function unpackChecks({ now, rep, bytes, length }: PackedChunk): (CheckToRecord & { line: number })[] {
  const buf = Buffer.from(bytes, 0, length);
  let at = 0;
  const next = (): string | null => {
    const n = buf.readInt32LE(at);
    at += 4;
    if (n === NULL) return null;
    at += n;
    return buf.toString('utf8', at - n, at);
  };
  const checks: (CheckToRecord & { line: number })[] = [];
  while (at < length) {
    const json: OutcomeJson = {
      verdict: next() as OutcomeJson['verdict'],
      promise: next()!,
      plan: next()!,
      reasons: next()!,
      alternatives: next()!,
      holds: next()!,
      alternativeHolds: next()!,
    };
    const customer = next();
    const eventsSeen = buf.readDoubleLE(at);
    at += 8;
    const line = buf.readDoubleLE(at);
    at += 8;
    const outcome = { verdict: json.verdict, promise: JSON.parse(json.promise) } as CheckOutcome;
    checks.push({ outcome, json, now, rep, customer, eventsSeen, line });
  }
  return checks;
}
