// Checks as the log's writer thread (writerThread.ts) is sent them: the values
// as UTF-8 in ONE buffer, each behind its length, moved to the thread without a
// copy (a transfer). Measured on the 100k batch, the checking thread paid ~1.3 s
// to join a chunk's texts into one string and ~0.8 s for postMessage to flatten
// and copy a string built by +=; a structured clone of 5,000 outcome objects costs
// more still. Encoding into a buffer costs it one pass over the bytes.
import { Buffer } from 'node:buffer';
import type { CheckOutcome } from '../core/checkPromise.js';
import type { CheckToRecord } from './log.js';
import type { OutcomeJson } from './outcomeJson.js';

/** What a check is recorded with, and `line`: a number it comes back with (a batch's input line). */
export type PackableCheck = Pick<CheckToRecord, 'json' | 'eventsSeen' | 'now' | 'rep' | 'customer'> & { line?: number };

export interface PackedChecks {
  bytes: ArrayBuffer;
  length: number;
}

/** A text's length in bytes before it, -1 for null. */
const NULL = -1;

/** The checks packed one by one as the iterable yields them (a batch checks each line as it is packed, so its objects die young). */
export function packChecks(checks: Iterable<PackableCheck>, expected = 16): PackedChecks {
  // Not from Node's pool: its whole ArrayBuffer is the checks', to transfer.
  let buf = Buffer.allocUnsafeSlow(Math.max(1 << 16, expected * 4096));
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
  for (const { json: j, eventsSeen, now, rep, customer, line } of checks) {
    put(j.verdict);
    put(j.promise);
    put(j.plan);
    put(j.reasons);
    put(j.alternatives);
    put(j.holds);
    put(j.alternativeHolds);
    put(now);
    put(rep);
    put(customer);
    room(16);
    at = buf.writeDoubleLE(eventsSeen, at);
    at = buf.writeDoubleLE(line ?? 0, at);
  }
  return { bytes: buf.buffer as ArrayBuffer, length: at };
}

/**
 * Back to what the store records. Of the outcome, checkRows reads only the
 * verdict and the promise: the promise comes back from its own JSON.
 */
export function unpackChecks({ bytes, length }: PackedChecks): (CheckToRecord & { line: number })[] {
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
    const now = next()!;
    const rep = next()!;
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
