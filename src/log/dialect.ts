// What the log needs of a database, and no more: the store (store.ts) writes
// every table, migration and query once against this; a dialect per database
// (sqlite/, postgres/) does only what the two do differently: placeholders,
// transactions and locks, bulk inserts, migrations' bookkeeping, errors.
import { logError, usageError } from '../errors.js';
import type { ChainedTable } from './chain.js';
import type { LogOwnership } from './postgres/grants.js';
import type { Sql } from './sql.js';

export type DialectKind = 'sqlite' | 'postgres';

/** Statements on one connection: the log's reads, or a write transaction's statements. */
export interface Executor {
  all<T>(q: Sql): Promise<T[]>;
  /** Returns how many rows the statement changed. */
  run(q: Sql): Promise<number>;
  /**
   * A statement whose answer nobody waits for. In a PostgreSQL write transaction it
   * goes out with the next statement that is waited for (or COMMIT), and its failure
   * fails the transaction; elsewhere it runs now.
   */
  send(q: Sql): Promise<void>;
  /** Rows of values into one table, in order (SQLite: one prepared INSERT each; PostgreSQL: multi-row VALUES), sent as send() sends. */
  insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void>;
  /** Rows as arrays of values, `batch` at a time: a log of any size streams through in little memory. */
  stream(q: Sql, batch: number): AsyncIterable<unknown[][]>;
}

export interface Transaction extends Executor {
  /**
   * Commits of the same skus wait for each other from here to the end of the
   * transaction; 'all': a committing batch waits for every commit and every
   * commit for it. SQLite's single write lock does this already.
   */
  lockSkus(skus: readonly string[] | 'all'): Promise<void>;
  /** No one else appends to this chain until the transaction ends (SQLite's write lock does this already). */
  lockChain(table: ChainedTable): Promise<void>;
}

export interface Dialect extends Executor {
  readonly kind: DialectKind;
  /** How messages name the log (a path or a URL without its password). */
  readonly name: string;
  /**
   * The database role a team log records every row as (TEAM.md: the rep is the
   * role unless it is the owner's); null: as the tool is told. Known once
   * schemaVersion has run.
   */
  readonly recordsAs: string | null;
  /** Rows of a table in the order they were inserted (tables without an id: holds). */
  readonly rowOrder: Sql;
  /** `expr` sorted as SQLite sorts text: bytewise, NULL first. */
  ordered(expr: Sql): Sql;
  /** One write transaction; retried whole on a serialization failure or deadlock. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** null: no promise log here yet. */
  schemaVersion(): Promise<number | null>;
  /** Brings the schema to `migrations.length` under the database's own lock; never lowers it. */
  migrate(migrations: readonly string[]): Promise<void>;
  /** Where the log's tables are and who owns them; null where there are no roles (a SQLite file). */
  ownership(): Promise<LogOwnership | null>;
  /** The database's own consistency check ("ok" when sound). */
  integrity(): Promise<string>;
  /** A database or network error as a log Failure (exit 4); Failures and bugs pass through unchanged. */
  failure(e: unknown): Error;
  /** A read of a table an empty log opened read-only does not have yet. */
  isMissingTable(e: unknown): boolean;
  close(): Promise<void>;
}

/** PROMISE_LOCK_TIMEOUT: seconds any wait for another writer may last before the command gives up (exit 4). */
export function lockTimeoutSeconds(env: NodeJS.ProcessEnv): number {
  const text = env.PROMISE_LOCK_TIMEOUT;
  if (text === undefined || text === '') return 30;
  if (!/^\d{1,6}(\.\d+)?$/.test(text) || Number(text) === 0) throw usageError(`PROMISE_LOCK_TIMEOUT: "${text}" is not a number of seconds above 0`);
  return Number(text);
}

/** An older release must not write a log a newer one has migrated: it would not know what the new columns mean. */
export const newerSchema = (name: string, found: number, known: number) =>
  logError(`log ${name} was written by a newer release of promise (schema ${found}; this one knows ${known}): upgrade promise`);
