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
type Query = Client | postgres.TransactionSql<{ bigint: number }>;

/** Any constants work; they only have to be the same for every process of this tool. */
const MIGRATION_LOCK = 7_302_514_001;
/** Held shared by every commit, exclusively by a batch that commits. */
export const ALL_COMMITS_LOCK = 7_302_514_002;
/** Held by whoever appends to a chain, until its transaction ends. */
const CHAIN_LOCKS = { checks: 7_302_514_003, events: 7_302_514_004 } as const;
/** PostgreSQL binds at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 65_535;
const RETRIES = 3;
const placeholder = (i: number) => `$${i + 1}`;

/** Statements on one connection or transaction. */
class Statements implements Transaction {
  constructor(
    protected readonly q: Query,
    protected readonly deadline: <T>(p: Promise<T>) => Promise<T>,
  ) {}

  async all<T>(query: Sql): Promise<T[]> {
    const { text, values } = query.compile(placeholder);
    return (await this.deadline(this.q.unsafe(text, values as postgres.ParameterOrJSON<never>[]))) as unknown as T[];
  }

  async run(query: Sql): Promise<number> {
    const { text, values } = query.compile(placeholder);
    return (await this.deadline(this.q.unsafe(text, values as postgres.ParameterOrJSON<never>[]))).count;
  }

  async insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    const perStatement = Math.min(2000, Math.floor(MAX_PARAMETERS / columns.length));
    for (let i = 0; i < rows.length; i += perStatement) {
      const slice = rows.slice(i, i + perStatement);
      const tuples = slice.map((_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
      const text = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples}`;
      await this.deadline(this.q.unsafe(text, slice.flat() as postgres.ParameterOrJSON<never>[]));
    }
  }

  async *stream(query: Sql, batch: number): AsyncIterable<unknown[][]> {
    const { text, values } = query.compile(placeholder);
    const cursor = this.q
      .unsafe(text, values as postgres.ParameterOrJSON<never>[])
      .values()
      .cursor(batch);
    for await (const rows of cursor) yield rows as unknown[][];
  }

  async lockSkus(skus: readonly string[] | 'all'): Promise<void> {
    if (skus === 'all') {
      await this.all(sql`SELECT pg_advisory_xact_lock(${ALL_COMMITS_LOCK}) AS locked`);
      return;
    }
    // One statement; sorted, so two commits of the same skus never wait for each other crosswise.
    const locks = [...skus].sort().map((s) => sql`pg_advisory_xact_lock(hashtextextended(${`promise-sku:${s}`}, 0))`);
    await this.all(sql`SELECT pg_advisory_xact_lock_shared(${ALL_COMMITS_LOCK})${locks.length ? sql`, ${sql.join(locks)}` : sql``}`);
  }

  /** An advisory lock, not FOR UPDATE on the head: that would need UPDATE on chain_heads, which no rep has. */
  async lockChain(table: ChainedTable): Promise<void> {
    await this.all(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCKS[table]}) AS locked`);
  }
}

export class PostgresDialect extends Statements implements Dialect {
  readonly kind = 'postgres' as const;
  readonly rowOrder = sql.raw('ctid');
  readonly name: string;
  recordsAs: string | null = null;

  private constructor(
    private readonly client: Client,
    private readonly connection: Connection,
    private readonly lockTimeout: number,
  ) {
    const ms = (lockTimeout + 30) * 1000;
    super(client, (p) => withDeadline(p, ms, () => this.abandon()));
    this.name = connection.name;
  }

  /**
   * Connects now, so that sslmode's second attempt (libpq's allow and prefer)
   * can follow a refused login, and every failure is one line from failure().
   */
  static async open(connection: Connection, lockTimeout: number): Promise<PostgresDialect> {
    const attempts = attemptsFor(connection.sslmode, connection.host.startsWith('/'));
    for (let i = 0; ; i++) {
      let encrypted = false;
      const client = clientFor(connection, async () => {
        const opened = await openSocket(connection, attempts[i]!);
        encrypted = opened.encrypted;
        return opened.socket;
      });
      const dialect = new PostgresDialect(client, connection, lockTimeout);
      try {
        (await dialect.deadline(client.reserve())).release();
        return dialect;
      } catch (e) {
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
      try {
        return (await this.client.begin('isolation level read committed', async (tx) => {
          // Local to this transaction: the pooler may hand the connection to someone else next.
          await tx`SELECT set_config('lock_timeout', ${`${this.lockTimeout}s`}, true), set_config('idle_in_transaction_session_timeout', ${`${this.lockTimeout + 30}s`}, true)`;
          return fn(new Statements(tx as unknown as Query, this.deadline));
        })) as T;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (attempt < RETRIES && (code === '40001' || code === '40P01')) continue;
        throw e;
      }
    }
  }

  /** Also who this connection records as: its role, unless the role may act for the owner of the log's tables. */
  async schemaVersion(): Promise<number | null> {
    // Two statements at once, one round trip; the second fails on a database with no log yet.
    const [me, version] = await Promise.all([
      this.all<{ role: string; owner: boolean | null }>(
        sql`SELECT current_user AS role, pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = to_regclass('checks')), 'USAGE') AS owner`,
      ),
      this.all<{ version: number }>(sql`SELECT version FROM promise_schema`).catch((e) => {
        if (this.isMissingTable(e)) return null;
        throw e;
      }),
    ]);
    // No tables yet: whoever creates them owns them.
    this.recordsAs = me[0]!.owner === false ? me[0]!.role : null;
    return version === null ? null : (version[0]?.version ?? 0);
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

function clientFor(connection: Connection, socket: () => Promise<Socket>): Client {
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
    types: {
      bigint: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) },
      // AVG and friends answer NUMERIC: numbers here, as SQLite gives them.
      numeric: { to: 1700, from: [1700], serialize: (n: number) => String(n), parse: (s: string) => Number(s) },
    },
  };
  // `socket` is in postgres.js (3.4) but not in its types.
  return postgres(options as unknown as postgres.Options<Record<string, postgres.PostgresType>>) as unknown as Client;
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
