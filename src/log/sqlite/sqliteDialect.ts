// The log in a SQLite file: a rep alone, nothing to set up. WAL for concurrent
// readers and writers; every write runs in one IMMEDIATE transaction, which takes
// SQLite's single write lock, so commits from several processes are serialized
// by it and a commit's re-check sees everything committed before it. Waits for
// that lock end after PROMISE_LOCK_TIMEOUT. Migrations count in user_version.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Failure, logError, usageError } from '../../errors.js';
import { sqlite } from '../../sqlite.js';
import { type Dialect, newerSchema, type Transaction } from '../dialect.js';
import { type Sql, sql } from '../sql.js';

type Db = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

const placeholder = () => '?';

export interface SqliteOpenOptions {
  readonly?: boolean;
  /** How long a write waits for SQLite's write lock (PROMISE_LOCK_TIMEOUT). */
  lockTimeoutMs: number;
  /** A server's connection, open for days (open() says what that changes). */
  longRunning?: boolean;
  /** Another thread takes this connection's WAL checkpoints (checkpointer.ts): its commits do not. */
  checkpointsElsewhere?: boolean;
}

/**
 * A connection whose checkpoints are taken elsewhere still takes one itself once
 * the WAL is this many pages long (SQLite's default is 1,000): should the
 * checkpointer stop or fall behind, the WAL stays bounded (~40 MiB).
 */
const CHECKPOINTS_ELSEWHERE_PAGES = 10_000;

export class SqliteDialect implements Dialect, Transaction {
  readonly kind = 'sqlite' as const;
  /** A file has no roles: rows record the rep the tool is told. */
  readonly recordsAs = null;
  readonly rowOrder = sql.raw('rowid');
  /** Prepared once per text: the batch path runs the same few statements thousands of times. */
  private readonly statements = new Map<string, Statement>();

  private constructor(
    private readonly db: Db,
    readonly name: string,
  ) {}

  /**
   * Opens (creating it) read-write, or an existing file read-only. A long-running
   * connection (a server's) keeps SQLite's own default page cache, 2 MiB, instead of
   * better-sqlite3's 16 MiB (SQLITE_DEFAULT_CACHE_SIZE=-16000): the checks it writes
   * filled that as the log grew, +13.5 MiB of RSS over the first 10,000. And no
   * memory-mapped reads (mmap_size 0, the build's default, said): a log that grows
   * would grow the mapping with it.
   */
  static open(path: string, { readonly = false, lockTimeoutMs, longRunning = false, checkpointsElsewhere = false }: SqliteOpenOptions): SqliteDialect {
    try {
      if (!readonly) makeDirs(dirname(path));
      const db = new (sqlite())(path, { readonly, fileMustExist: readonly, timeout: lockTimeoutMs });
      if (!readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
      }
      if (longRunning) {
        db.pragma('cache_size = -2000');
        db.pragma('mmap_size = 0');
      }
      if (checkpointsElsewhere) db.pragma(`wal_autocheckpoint = ${CHECKPOINTS_ELSEWHERE_PAGES}`);
      return new SqliteDialect(db, path);
    } catch (e) {
      throw sqliteFailure(path, e);
    }
  }

  /** Copies what the WAL has that the database file has not, never waiting for a reader or a writer. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  private prepare(q: Sql): { statement: Statement; values: unknown[] } {
    const { text, values } = q.compile(placeholder);
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return { statement, values };
  }

  async all<T>(q: Sql): Promise<T[]> {
    const { statement, values } = this.prepare(q);
    return statement.all(...values) as T[];
  }

  async run(q: Sql): Promise<number> {
    const { statement, values } = this.prepare(q);
    return statement.run(...values).changes;
  }

  async send(q: Sql): Promise<void> {
    await this.run(q);
  }

  async insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    const { statement } = this.prepare(sql`INSERT INTO ${sql.raw(table)} (${sql.columns(columns)}) VALUES (${sql.raw(columns.map(() => '?').join(', '))})`);
    for (const r of rows) statement.run(...r);
  }

  async *stream(q: Sql, batch: number): AsyncIterable<unknown[][]> {
    const { text, values } = q.compile(placeholder);
    // Its own statement: an iterating statement cannot be reused until it is done.
    let rows: unknown[][] = [];
    for (const r of this.db
      .prepare(text)
      .raw(true)
      .iterate(...values) as Iterable<unknown[]>) {
      rows.push(r);
      if (rows.length === batch) {
        yield rows;
        rows = [];
      }
    }
    if (rows.length > 0) yield rows;
  }

  ordered(expr: Sql): Sql {
    return expr;
  }

  /** The IMMEDIATE transaction already holds SQLite's only write lock. */
  async lockSkus(): Promise<void> {}

  async lockChain(): Promise<void> {}

  /**
   * A write transaction keeps its statement journals in memory. The checks table's
   * trigger (migration 9) makes every INSERT a statement that may need undoing on
   * its own, so SQLite journals the pages it touches; on disk that journal is a temp
   * file written and truncated row after row (~23 µs a row, 2.3 s of a 100k batch).
   * Only while writing: set at BEGIN it holds to COMMIT, and reads outside a write
   * (a large sort) still spill to disk. Switching costs nothing while no temporary
   * table exists (the log has none).
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    this.db.pragma('temp_store = MEMORY');
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this);
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      if (!this.db.inTransaction) this.db.pragma('temp_store = DEFAULT');
    }
  }

  async schemaVersion(): Promise<number | null> {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    return version === 0 ? null : version;
  }

  async migrate(migrations: readonly string[]): Promise<void> {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current >= migrations.length) return;
    this.db
      .transaction(() => {
        // Re-read inside the write lock: another process may have migrated meanwhile.
        const version = this.db.pragma('user_version', { simple: true }) as number;
        if (version > migrations.length) throw newerSchema(this.name, version, migrations.length);
        for (let v = version; v < migrations.length; v++) this.db.exec(migrations[v]!);
        if (version < migrations.length) this.db.pragma(`user_version = ${migrations.length}`);
      })
      .immediate();
  }

  async ownership(): Promise<null> {
    return null;
  }

  async integrity(): Promise<string> {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  failure(e: unknown): Error {
    if (e instanceof Failure || typeof (e as { code?: unknown }).code !== 'string') return e as Error;
    // The log's own triggers refusing a change (migration 9): the user's mistake, not the file's.
    const refused = /^promise: (.*)$/.exec((e as Error).message);
    if (refused) return usageError(refused[1]!);
    return sqliteFailure(this.name, e);
  }

  isMissingTable(e: unknown): boolean {
    return /no such table/.test((e as Error).message ?? '');
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir spins forever under
 * pseudo file systems such as /proc instead of failing.
 */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

function sqliteFailure(path: string, e: unknown): Error {
  const err = e as { code?: string; message?: string };
  const why: Record<string, string> = {
    SQLITE_NOTADB: 'is not a promise log (not an SQLite database)',
    SQLITE_CORRUPT: 'is corrupt',
    SQLITE_FULL: 'cannot grow: the disk or size limit is full',
    SQLITE_READONLY: 'is read-only',
    SQLITE_CANTOPEN: 'cannot be opened (missing or read-only directory?)',
    SQLITE_BUSY: 'stayed locked by another process (PROMISE_LOCK_TIMEOUT)',
    EACCES: 'cannot be created: permission denied',
    EROFS: 'cannot be created: read-only file system',
    ENOTDIR: 'cannot be created: a path component is not a directory',
    ENOENT: 'cannot be created: its directory cannot be made',
  };
  const code = err.code ?? '';
  const base = code.replace(/_[A-Z]+$/, '');
  const text = why[code] ?? why[base] ?? `cannot be written (${err.message ?? String(e)})`;
  return logError(`log ${path} ${text}; nothing was recorded`);
}
