// A hash chain over the append-only tables: each row carries the hash of its
// content and of the previous row, and chain_heads remembers the last row, so an
// edited, inserted or deleted row is detected and named by `promise log verify`.
import { createHash } from 'node:crypto';
import type { Db } from './db.js';

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

export function chainHead(db: Db, table: ChainedTable): { lastId: number; hash: string } {
  const row = db.prepare('SELECT last_id AS lastId, hash FROM chain_heads WHERE tbl = ?').get(table) as
    | { lastId: number; hash: string }
    | undefined;
  return row ?? { lastId: 0, hash: GENESIS };
}

export function setChainHead(db: Db, table: ChainedTable, lastId: number, hash: string): void {
  db.prepare('INSERT INTO chain_heads (tbl, last_id, hash) VALUES (?, ?, ?) ON CONFLICT(tbl) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash').run(
    table,
    lastId,
    hash,
  );
}

/** The hashed columns of each table, in hash order (everything but `hash`). */
export const CHAINED_COLUMNS: Record<ChainedTable, readonly string[]> = {
  checks: [
    'id', 'recorded_at', 'now', 'rep', 'customer', 'kind', 'sku', 'region', 'qty', 'by', 'service', 'promise',
    'verdict', 'result', 'capabilities_path', 'capabilities_sha256', 'tool_version', 'events_seen', 'prev_hash',
  ],
  events: ['id', 'check_id', 'kind', 'at', 'rep', 'detail', 'prev_hash'],
};

/** Appends rows to a chained table; call inside a write transaction. Returns their ids. */
export function appendChained(db: Db, table: ChainedTable, rows: readonly Record<string, unknown>[]): number[] {
  const columns = CHAINED_COLUMNS[table];
  const insert = db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}, hash) VALUES (${columns.map(() => '?').join(', ')}, ?)`,
  );
  let { lastId, hash } = chainHead(db, table);
  const ids: number[] = [];
  for (const row of rows) {
    const id = ++lastId;
    const values = columns.map((c) => (c === 'id' ? id : c === 'prev_hash' ? hash : (row[c] ?? null)));
    hash = rowHash(hash, values);
    insert.run(...values, hash);
    ids.push(id);
  }
  if (rows.length > 0) setChainHead(db, table, lastId, hash);
  return ids;
}

export interface ChainProblem {
  table: ChainedTable;
  id: number;
  message: string;
}

export function verifyChain(db: Db, table: ChainedTable): { rows: number; problems: ChainProblem[] } {
  const columns = CHAINED_COLUMNS[table];
  const problems: ChainProblem[] = [];
  let prev = GENESIS;
  let expectedId = 1;
  let rows = 0;
  const select = db.prepare(`SELECT ${columns.join(', ')}, hash FROM ${table} ORDER BY id`).raw(true);
  for (const values of select.iterate() as Iterable<unknown[]>) {
    rows++;
    const id = values[0] as number;
    const stored = values[values.length - 1] as string;
    const fields = values.slice(0, -1);
    if (id !== expectedId) {
      problems.push({ table, id, message: id > expectedId ? `rows ${expectedId}..${id - 1} are missing (deleted)` : `row ${id} is out of order` });
    }
    const prevHash = fields[columns.indexOf('prev_hash')];
    if (prevHash !== prev) problems.push({ table, id, message: `row ${id} does not follow the row before it (a row was deleted, inserted or edited)` });
    if (rowHash(prevHash as string, fields) !== stored) problems.push({ table, id, message: `row ${id} was edited after it was recorded` });
    prev = stored;
    expectedId = id + 1;
  }
  const head = chainHead(db, table);
  if (head.lastId >= expectedId) {
    problems.push({ table, id: head.lastId, message: `rows ${expectedId}..${head.lastId} are missing (deleted at the end)` });
  } else if (head.lastId === expectedId - 1 && head.hash !== prev && rows > 0) {
    problems.push({ table, id: head.lastId, message: `row ${head.lastId} does not match the recorded head of the chain` });
  }
  return { rows, problems };
}
