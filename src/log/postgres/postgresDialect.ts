// The team log: one PostgreSQL database for a whole sales team, through
// postgres.js (pure JavaScript; `sql.begin` scopes a transaction to one
// connection and rolls back on a throw). Loaded only when --log is a URL.
//
// What differs from SQLite, and only that:
// - commits of one sku wait for each other on a transaction-level advisory lock
//   (a committing batch takes the exclusive form of a lock every commit holds
//   shared); the chain heads are locked FOR UPDATE by whoever appends;
// - every transaction is READ COMMITTED whatever the server's default, with
//   lock_timeout from PROMISE_LOCK_TIMEOUT, and is retried whole on a
//   serialization failure or deadlock;
// - no named prepared statements, so a transaction-mode pooler (pgbouncer) works;
// - every round trip has a deadline on this side too: a server that stops
//   answering after login is a log failure, not a hang.
import type { Socket } from 'node:net';
import postgres from 'postgres';
import { Failure, logError, usageError } from '../../errors.js';
import type { ChainedTable } from '../chain.js';
import { type Dialect, newerSchema, type Transaction } from '../dialect.js';
import { type Sql, sql } from '../sql.js';
import type { Connection } from './connection.js';
import type { LogOwnership } from './grants.js';
import { attemptsFor, openSocket } from './socket.js';

type Client = postgres.Sql<{ bigint: number }>;
type Reserved = postgres.ReservedSql<{ bigint: number }>;
type Query = Client | Reserved;

/** Any constants work; they only have to be the same for every process of this tool. */
const MIGRATION_LOCK = 7_302_514_001;
/** Held shared by every commit, exclusively by a batch that commits. */
export const ALL_COMMITS_LOCK = 7_302_514_002;
/** Held by whoever appends to a chain, until its transaction ends. */
const CHAIN_LOCKS = { checks: 7_302_514_003, events: 7_302_514_004 } as const;
/** Rows a multi-row INSERT carries. */
const ROWS_PER_INSERT = 1000;
const RETRIES = 3;
/**
 * Statements go out with their values written in as literals, not as
 * parameters: postgres.js asks the server to describe an unprepared statement
 * with parameters before it binds them, a round trip each, and sends nothing
 * behind it meanwhile. Literal text needs no such question, so statements sent
 * together go out together.
 */
const inline = (q: Sql): string => {
  const { values } = q;
  return q.compile((i) => literal(values[i])).text;
};

/** Statements on one connection or transaction. */
class Statements implements Transaction {
  constructor(
    protected readonly q: Query,
    protected readonly deadline: <T>(p: Promise<T>) => Promise<T>,
  ) {}

  async all<T>(query: Sql): Promise<T[]> {
    return (await this.deadline(this.q.unsafe(inline(query)))) as unknown as T[];
  }

  async run(query: Sql): Promise<number> {
    return (await this.deadline(this.q.unsafe(inline(query)))).count;
  }

  async send(q: Sql): Promise<void> {
    await this.run(q);
  }

  async insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    for (const text of multiRowInserts(table, columns, rows)) await this.deadline(this.q.unsafe(text));
  }

  async *stream(query: Sql, batch: number): AsyncIterable<unknown[][]> {
    const cursor = this.q.unsafe(inline(query)).values().cursor(batch);
    for await (const rows of cursor) yield rows as unknown[][];
  }

  async lockSkus(skus: readonly string[] | 'all'): Promise<void> {
    if (skus === 'all') {
      return this.send(sql`SELECT pg_advisory_xact_lock(${ALL_COMMITS_LOCK})`);
    }
    // One statement; sorted, so two commits of the same skus never wait for each other crosswise.
    const locks = [...skus].sort().map((s) => sql`pg_advisory_xact_lock(hashtextextended(${`promise-sku:${s}`}, 0))`);
    // Sent, not waited for: the reads after it wait in line behind it (the lock before them).
    return this.send(sql`SELECT pg_advisory_xact_lock_shared(${ALL_COMMITS_LOCK})${locks.length ? sql`, ${sql.join(locks)}` : sql``}`);
  }

  /** An advisory lock, not FOR UPDATE on the head: that would need UPDATE on chain_heads, which no rep has. */
  async lockChain(table: ChainedTable): Promise<void> {
    return this.send(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCKS[table]})`);
  }
}

/**
 * A write transaction on a connection of its own, pipelined: what nobody waits
 * for (BEGIN, settings, locks, inserts, COMMIT) is sent without waiting for its
 * answer, so a logged check costs two round trips in it (the locks and every
 * read; the rows and COMMIT). A failed statement fails the transaction at the
 * latest at COMMIT, and is the error reported (not the "transaction is aborted"
 * after it).
 */
class Pipelined extends Statements {
  private readonly sent: Promise<unknown>[] = [];

  constructor(
    private readonly connection: Reserved,
    deadline: <T>(p: Promise<T>) => Promise<T>,
    /** The connection dropped since the transaction began: nothing sent on it will be answered. */
    private readonly gone: () => boolean,
  ) {
    super(connection, (p) => (gone() ? Promise.reject(connectionClosed()) : deadline(p)));
  }

  private sendText(text: string): void {
    const query = this.connection.unsafe(text).execute();
    query.catch(() => {}); // reported by settle() or firstFailure()
    this.sent.push(query);
  }

  override async send(q: Sql): Promise<void> {
    this.sendText(inline(q));
  }

  override async insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    for (const text of multiRowInserts(table, columns, rows)) this.sendText(text);
  }

  /** Everything sent has been answered; throws the first failure. */
  async settle(): Promise<void> {
    for (const query of this.sent) await this.deadline(query);
  }

  async firstFailure(): Promise<unknown> {
    if (this.gone()) return undefined;
    for (const query of this.sent) {
      const failed = await this.deadline(query).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (failed !== undefined) return failed;
    }
    return undefined;
  }
}

export class PostgresDialect extends Statements implements Dialect {
  readonly kind = 'postgres' as const;
  readonly rowOrder = sql.raw('ctid');
  readonly name: string;
  recordsAs: string | null = null;

  /**
   * Fails whatever is waiting when the connection drops: postgres.js leaves
   * statements already sent on a connection that closed unanswered, and a
   * process with nothing else to wait for would end without a word.
   */
  private dropped = droppedSignal();
  private drops = 0;

  private constructor(
    private readonly client: Client,
    private readonly connection: Connection,
    private readonly lockTimeout: number,
  ) {
    const ms = (lockTimeout + 30) * 1000;
    super(client, (p) => Promise.race([withDeadline(p, ms, () => this.abandon()), this.dropped.promise]));
    this.name = connection.name;
  }

  /** postgres.js's onclose: the connection is gone (a new one opens for the next statement). */
  private onClose(): void {
    const { fail } = this.dropped;
    this.dropped = droppedSignal();
    this.drops++;
    fail();
  }

  /**
   * Connects now, so that sslmode's second attempt (libpq's allow and prefer)
   * can follow a refused login, and every failure is one line from failure().
   */
  static async open(connection: Connection, lockTimeout: number, signal?: AbortSignal): Promise<PostgresDialect> {
    const attempts = attemptsFor(connection.sslmode, connection.host.startsWith('/'));
    for (let i = 0; ; i++) {
      let encrypted = false;
      let dialect: PostgresDialect | undefined;
      let socket: Socket | undefined;
      // Connecting now, not when postgres.js gets round to it (on a timer): the server forks its backend
      // while this process goes on. A connection opened again later (after a drop) connects then.
      let first: ReturnType<typeof openSocket> | undefined = openSocket(connection, attempts[i]!, signal);
      first.catch(() => {}); // awaited by the client's first connection
      const client = clientFor(
        connection,
        async () => {
          const opening = first ?? openSocket(connection, attempts[i]!, signal);
          first = undefined;
          const opened = await opening;
          encrypted = opened.encrypted;
          socket = opened.socket;
          return socket;
        },
        () => dialect?.onClose(),
      );
      dialect = new PostgresDialect(client, connection, lockTimeout);
      // postgres.js only half-closes a socket that is logging in: a server that never answers would keep it open.
      const drop = () => {
        socket?.destroy();
        void client.end({ timeout: 0 }).catch(() => {});
      };
      signal?.addEventListener('abort', drop, { once: true });
      try {
        // The first statements log in (a reserve() first would never return: postgres.js 3.4.9 without fetch_types).
        dialect.atOpen = await dialect.deadline(dialect.readSchemaVersion());
        signal?.removeEventListener('abort', drop);
        return dialect;
      } catch (e) {
        signal?.removeEventListener('abort', drop);
        await client.end({ timeout: 0 }).catch(() => {});
        const refused = String((e as { code?: string }).code).startsWith('28');
        // Only a refusal of what this attempt was (TLS for prefer, plain for allow) is worth the other way.
        const other = attempts[i + 1] === 'plain' ? encrypted : !encrypted;
        if (refused && i + 1 < attempts.length && other) continue;
        throw dialect.failure(e);
      }
    }
  }

  /** A server that stopped answering: drop the sockets, so the process can end. */
  private abandon(): Error {
    void this.client.end({ timeout: 0 }).catch(() => {});
    return logError(`log ${this.name} did not answer within ${this.lockTimeout + 30} s (PROMISE_LOCK_TIMEOUT + 30 s); nothing was recorded`);
  }

  ordered(expr: Sql): Sql {
    return sql`${expr} COLLATE "C" NULLS FIRST`;
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      // The one connection, taken from reads for the transaction: no read sees its rows before COMMIT.
      const connection = await this.deadline(this.client.reserve());
      const drops = this.drops;
      const tx = new Pipelined(connection, this.deadline, () => this.drops !== drops);
      try {
        await tx.send(sql.raw('BEGIN ISOLATION LEVEL READ COMMITTED'));
        // Local to this transaction: the pooler may hand the connection to someone else next.
        await tx.send(
          sql`SELECT set_config('lock_timeout', ${`${this.lockTimeout}s`}, true), set_config('idle_in_transaction_session_timeout', ${`${this.lockTimeout + 30}s`}, true)`,
        );
        const result = await fn(tx).catch(async (e: unknown) => {
          throw (await tx.firstFailure()) ?? e;
        });
        await tx.send(sql.raw('COMMIT'));
        await tx.settle();
        return result;
      } catch (e) {
        // Not waited for: on a connection that died it would never answer; on a live one it goes first in line.
        connection
          .unsafe('ROLLBACK')
          .execute()
          .catch(() => {});
        const code = (e as { code?: string }).code;
        if (attempt < RETRIES && (code === '40001' || code === '40P01')) continue;
        throw e;
      } finally {
        connection.release();
      }
    }
  }

  /** Read at open (the statements that log in): the first schemaVersion() asks no further. */
  private atOpen: number | null | undefined;

  async schemaVersion(): Promise<number | null> {
    const known = this.atOpen;
    this.atOpen = undefined;
    return known !== undefined ? known : this.readSchemaVersion();
  }

  /**
   * Also who this connection records as: its role, unless the role may act for
   * the owner of the log's tables. One statement, sent as the login completes
   * (postgres.js holds back a second one until the first is answered): the
   * version is read through query_to_xml so that a database with no log yet
   * answers NULL instead of failing on the missing table.
   */
  private async readSchemaVersion(): Promise<number | null> {
    const [me] = await this.all<{ role: string; owner: boolean | null; version: number | null }>(sql`
      SELECT current_user AS role,
        pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = to_regclass('checks')), 'USAGE') AS owner,
        CASE WHEN to_regclass('promise_schema') IS NULL THEN NULL ELSE COALESCE(
          (xpath('/table/row/version/text()', query_to_xml('SELECT version FROM promise_schema', false, false, '')))[1]::text::int, 0) END AS version`);
    // No tables yet: whoever creates them owns them.
    this.recordsAs = me!.owner === false ? me!.role : null;
    return me!.version;
  }

  /** Whoever gets the lock first migrates; the others wait, re-read the version and find nothing to do. */
  async migrate(migrations: readonly string[]): Promise<void> {
    await this.client.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      await tx`CREATE TABLE IF NOT EXISTS promise_schema (version INTEGER NOT NULL)`;
      const [row] = await tx`SELECT version FROM promise_schema`;
      const version = (row?.version as number | undefined) ?? 0;
      if (version > migrations.length) throw newerSchema(this.name, version, migrations.length);
      for (let v = version; v < migrations.length; v++) await tx.unsafe(migrations[v]!);
      // Never lower it: a release that knows fewer migrations may have been waiting on the lock.
      if (row) await tx`UPDATE promise_schema SET version = ${migrations.length} WHERE version < ${migrations.length}`;
      else await tx`INSERT INTO promise_schema (version) VALUES (${migrations.length})`;
    });
  }

  async ownership(): Promise<LogOwnership> {
    const [row] = await this.all<LogOwnership>(sql`
      SELECT current_database() AS database, n.nspname AS schema, pg_get_userbyid(c.relowner) AS owner
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass('checks')`);
    return row!;
  }

  async integrity(): Promise<string> {
    // PostgreSQL keeps its own pages consistent; there is no integrity_check to run.
    return 'ok';
  }

  /** Every error from the server or the network becomes one line naming the log, never its password. */
  failure(e: unknown): Error {
    if (e instanceof Failure) return e;
    const err = e as { code?: string; message?: string };
    const code = err.code ?? '';
    const { database, user, connectTimeout, host, sslmode } = this.connection;
    if (UNTRUSTED.has(code))
      return logError(`log ${this.name} showed a certificate that sslrootcert does not vouch for (${code}, sslmode=${sslmode}); nothing was recorded`);
    const why: Record<string, string> = {
      ECONNREFUSED: 'cannot be reached (connection refused)',
      ENOTFOUND: 'cannot be reached (unknown host)',
      EAI_AGAIN: 'cannot be reached (unknown host)',
      EHOSTUNREACH: 'cannot be reached (host unreachable)',
      CONNECT_TIMEOUT: `did not answer within ${connectTimeout} s (connect_timeout)`,
      SSL_REFUSED: `does not accept TLS (sslmode=${sslmode})`,
      ERR_TLS_CERT_ALTNAME_INVALID: `showed a certificate that is not for ${host} (sslmode=verify-full; verify-ca checks the chain only)`,
      PROTOCOL: 'did not answer as PostgreSQL does',
      '28P01': `refused the login of ${user} (wrong password)`,
      '28000': `refused the login of ${user}`,
      '3D000': `has no database "${database}"`,
      '42501': `refused this: ${err.message ?? 'permission denied'}`,
      '25006': `refused this: ${err.message ?? 'read-only transaction'}`,
      '53100': 'cannot grow: the disk is full',
      '55P03': `kept a lock held by another writer longer than ${this.lockTimeout} s (PROMISE_LOCK_TIMEOUT)`,
      '57014': 'cancelled the statement (statement_timeout)',
      '25P03': 'ended a transaction left idle too long',
      ECONNRESET: 'went away in the middle of the command',
      // The server gone while a statement was being sent (a batch's inserts are large).
      EPIPE: 'went away in the middle of the command',
      CONNECTION_CLOSED: 'went away in the middle of the command',
      CONNECTION_ENDED: 'went away in the middle of the command',
      CONNECTION_DESTROYED: 'went away in the middle of the command',
      '57P01': 'went away in the middle of the command (the server shut down)',
      '57P02': 'went away in the middle of the command (the server crashed)',
      '57P03': 'is starting up or shutting down: try again',
    };
    // The log's own triggers refusing a change (migration 9): the user's mistake, not the database's.
    if (code === 'PR001') return usageError(err.message ?? 'refused');
    if (code === 'SASL_SIGNATURE_MISMATCH' || /password/i.test(err.message ?? '')) {
      if (!why[code]) return logError(`log ${this.name} refused the login of ${user}; nothing was recorded`);
    }
    return logError(
      `log ${this.name} ${why[code] ?? `cannot be written (${code ? `${code}: ` : ''}${redact(err.message ?? String(e), this.connection.password)})`}; nothing was recorded`,
    );
  }

  isMissingTable(e: unknown): boolean {
    return (e as { code?: string }).code === '42P01';
  }

  async close(): Promise<void> {
    await this.client.end({ timeout: 1 });
  }
}

/** OpenSSL's ways of saying a chain does not lead to a trusted CA. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'INVALID_CA',
]);

function clientFor(connection: Connection, socket: () => Promise<Socket>, onclose: () => void): Client {
  const options = {
    // Where and how to connect is socket's (src/log/postgres/socket.ts); host and port only name it in errors.
    host: connection.host,
    port: connection.port,
    socket,
    ssl: false,
    database: connection.database,
    username: connection.user,
    ...(connection.password === undefined ? {} : { password: connection.password }),
    connect_timeout: connection.connectTimeout,
    // Startup parameters a pooler passes on: nothing else (pgbouncer refuses unknown ones).
    connection: { application_name: connection.applicationName },
    // Unnamed statements: a transaction-mode pooler cannot keep named ones, and a
    // short-lived CLI process would prepare each statement only once anyway.
    prepare: false,
    // One connection: statements issued together go out together and come back in
    // one round trip (a check far from the server waits for few of them).
    max: 1,
    onnotice: () => {},
    // No array types are read or written: the query for them at every connect would be a round trip.
    fetch_types: false,
    onclose,
    types: {
      bigint: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) },
      // AVG and friends answer NUMERIC: numbers here, as SQLite gives them.
      numeric: { to: 1700, from: [1700], serialize: (n: number) => String(n), parse: (s: string) => Number(s) },
    },
  };
  // `socket` is in postgres.js (3.4) but not in its types.
  return postgres(options as unknown as postgres.Options<Record<string, postgres.PostgresType>>) as unknown as Client;
}

/** Rows as multi-row INSERTs, ROWS_PER_INSERT rows a statement. */
function multiRowInserts(table: string, columns: readonly string[], rows: readonly unknown[][]): string[] {
  const out: string[] = [];
  const head = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    out.push(
      head +
        rows
          .slice(i, i + ROWS_PER_INSERT)
          .map((r) => `(${r.map(literal).join(', ')})`)
          .join(', '),
    );
  }
  return out;
}

/**
 * A value as a PostgreSQL literal. Text is dollar-quoted with a tag that does
 * not occur in it, so nothing inside is special whatever the server's
 * standard_conforming_strings; numbers are written as numbers.
 */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${v} cannot be written to the log`);
    return v < 0 ? `(${v})` : String(v);
  }
  const text = String(v);
  for (let n = 0; ; n++) {
    const tag = `$v${n || ''}$`;
    // The closing tag must be the first one after the opening one.
    if ((text + tag).indexOf(tag) === text.length) return tag + text + tag;
  }
}

const connectionClosed = () => Object.assign(new Error('connection closed'), { code: 'CONNECTION_CLOSED' });

/** A promise that rejects (as a closed connection) when fail() is called; never unhandled. */
function droppedSignal(): { promise: Promise<never>; fail: () => void } {
  let fail!: () => void;
  const promise = new Promise<never>((_, reject) => {
    fail = () => reject(connectionClosed());
  });
  promise.catch(() => {});
  return { promise, fail };
}

function withDeadline<T>(p: Promise<T>, ms: number, onExpiry: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onExpiry()), ms);
    timer.unref();
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

/** A server or driver message should never quote the password; make sure. */
function redact(text: string, password: string | undefined): string {
  return password ? text.split(password).join('***') : text;
}
