// A hash chain over the append-only tables: each row carries the hash of its
// content and of the previous row, and a chain head remembers the last row, so an
// edited, inserted or deleted row is detected and named by `promise log verify`.
// Database-neutral: each log implementation feeds rows in and stores what comes out.
import { createHash } from 'node:crypto';
import type { LogProblem } from './log.js';

export type ChainedTable = 'checks' | 'events';

export const GENESIS = '0'.repeat(64);

/** Fields are length-prefixed, so no two rows hash alike by shifting text between fields. */
export function rowHash(prevHash: string, fields: readonly unknown[]): string {
  // One string, one update(): each update() call crosses into C++.
  let text = prevHash;
  for (const f of fields) {
    if (f === null || f === undefined) text += '\n-:';
    else {
      const s = String(f);
      text += `\n${s.length}:${s}`;
    }
  }
  return createHash('sha256').update(text).digest('hex');
}

/** The hashed columns of each table, in hash order (everything but `hash`). */
export const CHAINED_COLUMNS: Record<ChainedTable, readonly string[]> = {
  checks: [
    'id',
    'recorded_at',
    'now',
    'rep',
    'customer',
    'kind',
    'sku',
    'region',
    'qty',
    'by',
    'service',
    'promise',
    'verdict',
    'result',
    'capabilities_path',
    'capabilities_sha256',
    'tool_version',
    'events_seen',
    'prev_hash',
  ],
  events: ['id', 'check_id', 'kind', 'at', 'rep', 'detail', 'prev_hash'],
};

export interface Head {
  lastId: number;
  hash: string;
}

/** Rows to append after `head`, with ids and hashes: the values in CHAINED_COLUMNS order, then the hash. */
export function chainRows(table: ChainedTable, head: Head, rows: readonly Record<string, unknown>[]): { values: unknown[][]; head: Head } {
  const columns = CHAINED_COLUMNS[table];
  let { lastId, hash } = head;
  const values = rows.map((row) => {
    const id = ++lastId;
    const v = columns.map((c) => (c === 'id' ? id : c === 'prev_hash' ? hash : (row[c] ?? null)));
    hash = rowHash(hash, v);
    v.push(hash);
    return v;
  });
  return { values, head: { lastId, hash } };
}

/**
 * Checks rows (CHAINED_COLUMNS values then the hash, ascending by id) against
 * each other and the head, one at a time, so a log of any size streams through.
 */
export class ChainVerifier {
  private readonly prevAt: number;
  private readonly problems: LogProblem[] = [];
  private prev = GENESIS;
  private expectedId = 1;
  private count = 0;

  constructor(private readonly table: ChainedTable) {
    this.prevAt = CHAINED_COLUMNS[table].indexOf('prev_hash');
  }

  add(values: readonly unknown[]): void {
    const { table } = this;
    this.count++;
    const id = Number(values[0]);
    const stored = values[values.length - 1] as string;
    const fields = values.slice(0, -1);
    if (id !== this.expectedId) {
      const message = id > this.expectedId ? `rows ${this.expectedId}..${id - 1} are missing (deleted)` : `row ${id} is out of order`;
      this.problems.push({ table, id, message });
    }
    const prevHash = fields[this.prevAt];
    if (prevHash !== this.prev)
      this.problems.push({ table, id, message: `row ${id} does not follow the row before it (a row was deleted, inserted or edited)` });
    if (rowHash(prevHash as string, fields) !== stored) this.problems.push({ table, id, message: `row ${id} was edited after it was recorded` });
    this.prev = stored;
    this.expectedId = id + 1;
  }

  finish(head: Head): { table: ChainedTable; rows: number; problems: LogProblem[] } {
    const { table, problems, expectedId } = this;
    if (head.lastId >= expectedId) {
      problems.push({ table, id: head.lastId, message: `rows ${expectedId}..${head.lastId} are missing (deleted at the end)` });
    } else if (head.lastId === expectedId - 1 && head.hash !== this.prev && this.count > 0) {
      problems.push({ table, id: head.lastId, message: `row ${head.lastId} does not match the recorded head of the chain` });
    }
    return { table, rows: this.count, problems };
  }
}

/**
 * What a team publishes (`log head`) and later proves the log still extends
 * (`log verify --head`): `checks@ID:HASH,events@ID:HASH`. A log rewritten and
 * re-hashed from any earlier row cannot keep the published rows' hashes.
 */
export const headToken = (heads: Record<ChainedTable, Head>): string =>
  (['checks', 'events'] as const).map((t) => `${t}@${heads[t].lastId}:${heads[t].hash}`).join(',');

export function parseHeadToken(text: string): Record<ChainedTable, Head> | null {
  const m = /^checks@(\d{1,15}):([0-9a-f]{64}),events@(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { checks: { lastId: Number(m[1]), hash: m[2]! }, events: { lastId: Number(m[3]), hash: m[4]! } } : null;
}
