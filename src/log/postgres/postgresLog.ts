// The team log: one PostgreSQL database for a whole sales team, through
// postgres.js (pure JavaScript; `sql.begin` scopes a transaction to one
// connection and rolls back on a throw). Loaded only when --log is a URL.
//
// Concurrency, all inside the one transaction a command writes in:
// - the hash chains append under a row lock on their head (SELECT … FOR UPDATE),
//   so ids stay gapless and no two writers fork the chain;
// - a commit takes a transaction-level advisory lock per sku before it reads
//   the holds it re-checks against, so two commits of one sku on two machines
//   run one after the other and the second sees the first's holds; commits of
//   different skus only meet at the events head. A batch that commits takes
//   the exclusive form of a lock every single commit holds shared.
import postgres from 'postgres';
import type { Hold } from '../../core/commitments/ledger.js';
import { parseIsoDay } from '../../core/time/days.js';
import { Failure, logError, noLogThere } from '../../errors.js';
import { CHAINED_COLUMNS, type ChainedTable, ChainVerifier, chainRows, type Head } from '../chain.js';
import { type CapabilitiesRow, checkRows, feedHashes, feedsColumn, keptOf } from '../checkRows.js';
import {
  COMMITMENT_COLUMNS,
  type CommitmentRow,
  type CommitTerms,
  closeDetail,
  commitDetail,
  committed,
  compareDerived,
  type DerivedCommitment,
  deriveCommitments,
  type EventDetail,
  type EventKind,
  type EventRow,
  type HoldRow,
  holdingOn,
  statusCondition,
} from '../derive.js';
import type {
  CapabilitiesSource,
  CheckFilter,
  CheckRow,
  CheckToRecord,
  Closing,
  DeliveredRow,
  KeptCapabilities,
  LatenessCount,
  Log,
  LogDump,
  LogWriter,
  LostDemand,
  OpenOptions,
  StatsDimension,
  StatsGroup,
  VerifyReport,
} from '../log.js';
import { LOST_DEMAND, STATS_DIMENSIONS } from '../log.js';
import type { Connection } from './connection.js';
import { MIGRATION_LOCK, MIGRATIONS } from './schema.js';

type Sql = postgres.Sql<{ bigint: number }>;
type Query = Sql | postgres.TransactionSql<{ bigint: number }>;

/** Held shared by every commit, exclusively by a batch that commits. */
const ALL_COMMITS_LOCK = 7_302_514_002;
/** Rows per INSERT statement: PostgreSQL binds at most 65,535 parameters. */
const ROWS_PER_INSERT = 2000;

const SELECT_CHECKS = `
  SELECT c.id, c.recorded_at, c.now, c.rep, c.customer, c.kind, c.sku, c.region, c.qty, c."by", c.service, c.promise,
         c.verdict, c.result, c.capabilities_path, c.capabilities_sha256, c.tool_version, c.events_seen, c.prev_hash, c.hash,
         COALESCE(m.status, 'checked') AS status, m.alternative AS alternative,
         m.hold_until AS hold_until, m.handoff_note AS handoff_note, m.late_workdays AS late_workdays,
         m.committed_at AS committed_at, m.ref AS ref
  FROM checks c LEFT JOIN commitments m ON m.check_id = c.id`;

const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(', ');

/** Reads and writes on one connection or transaction: the log's reads and a write's statements. */
class Statements implements LogWriter {
  constructor(protected readonly q: Query) {}

  async lockForCommit(skus: readonly string[] | 'all'): Promise<void> {
    if (skus === 'all') {
      await this.q`SELECT pg_advisory_xact_lock(${ALL_COMMITS_LOCK})`;
      return;
    }
    await this.q`SELECT pg_advisory_xact_lock_shared(${ALL_COMMITS_LOCK})`;
    // Sorted, so two commits of the same skus never wait for each other crosswise.
    for (const sku of [...skus].sort()) await this.q`SELECT pg_advisory_xact_lock(hashtextextended(${`promise-sku:${sku}`}, 0))`;
  }

  async openHolds(today: string, sku?: string): Promise<Hold[]> {
    // A quote holds through its last day: expired ones hold nothing, with no job to run.
    const day = parseIsoDay(today)!;
    const rows =
      sku === undefined
        ? await this.q`SELECT location, sku, qty, day, source, protected, until_day AS until FROM holds WHERE until_day IS NULL OR until_day >= ${day}`
        : await this
            .q`SELECT location, sku, qty, day, source, protected, until_day AS until FROM holds WHERE sku = ${sku} AND (until_day IS NULL OR until_day >= ${day})`;
    return rows as unknown as Hold[];
  }

  async getCheck(id: number): Promise<CheckRow | undefined> {
    const [row] = await this.q.unsafe(`${SELECT_CHECKS} WHERE c.id = $1`, [id]);
    return row as CheckRow | undefined;
  }

  async lastEventId(): Promise<number> {
    return (await this.head('events')).lastId;
  }

  protected async head(table: ChainedTable, forUpdate = false): Promise<Head> {
    const [row] = await this.q.unsafe(`SELECT last_id AS "lastId", hash FROM chain_heads WHERE tbl = $1${forUpdate ? ' FOR UPDATE' : ''}`, [table]);
    return row as unknown as Head;
  }

  appendRows(table: ChainedTable, rows: readonly Record<string, unknown>[]): Promise<number[]> {
    return this.append(table, rows);
  }

  async storeCapabilities(kept: KeptCapabilities): Promise<void> {
    // Look before inserting: sending a large file's text with every chunk of a batch costs more than the rows.
    const [known] = await this.q`SELECT 1 AS one FROM capabilities WHERE sha256 = ${kept.sha256}`;
    if (known) return;
    for (const f of kept.feeds) {
      const [there] = await this.q`SELECT 1 AS one FROM feeds WHERE sha256 = ${f.sha256}`;
      if (!there) await this.q`INSERT INTO feeds (sha256, content) VALUES (${f.sha256}, ${f.content()}) ON CONFLICT DO NOTHING`;
    }
    await this.q`INSERT INTO capabilities (sha256, content, feeds) VALUES (${kept.sha256}, ${kept.content}, ${feedsColumn(kept)}) ON CONFLICT DO NOTHING`;
  }

  async restoreCommitment(checkId: number, c: DerivedCommitment, committedAt: string): Promise<void> {
    await this.q`INSERT INTO commitments (check_id, alternative, status, committed_at, outcome_on, note, hold_until, handoff_note, late_workdays, ref)
      VALUES (${checkId}, ${c.alternative}, ${c.status}, ${committedAt}, ${c.outcome_on}, ${c.note}, ${c.hold_until}, ${c.handoff_note}, ${c.late_workdays}, ${c.ref})`;
    await this.insertHolds(checkId, c.holds);
  }

  async countChecks(): Promise<number> {
    const [row] = await this.q`SELECT COUNT(*)::int AS n FROM checks`;
    return row!.n as number;
  }

  private async insertHolds(checkId: number, holds: readonly Hold[]): Promise<void> {
    if (holds.length === 0) return;
    await this
      .q`INSERT INTO holds ${this.q(holds.map((h) => ({ check_id: checkId, location: h.location, sku: h.sku, qty: h.qty, day: h.day, source: h.source, protected: h.protected ?? null, until_day: h.until ?? null })))}`;
  }

  private async append(table: ChainedTable, rows: readonly Record<string, unknown>[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const columns = [...CHAINED_COLUMNS[table], 'hash'];
    const { values, head } = chainRows(table, await this.head(table, true), rows);
    for (let i = 0; i < values.length; i += ROWS_PER_INSERT) {
      const slice = values.slice(i, i + ROWS_PER_INSERT);
      const params = slice.flat() as postgres.ParameterOrJSON<never>[];
      const tuples = slice.map((_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
      await this.q.unsafe(`INSERT INTO ${table} (${quoted(columns)}) VALUES ${tuples}`, params);
    }
    await this.q`UPDATE chain_heads SET last_id = ${head.lastId}, hash = ${head.hash} WHERE tbl = ${table}`;
    return values.map((v) => v[0] as number);
  }

  private async appendEvent(checkId: number, kind: EventKind, rep: string, detail: EventDetail): Promise<void> {
    await this.append('events', [{ check_id: checkId, kind, at: new Date().toISOString(), rep, detail: JSON.stringify(detail) }]);
  }

  async recordChecks(capabilities: CapabilitiesSource, checks: readonly CheckToRecord[]): Promise<number[]> {
    await this.storeCapabilities(capabilities);
    const eventsSeen = await this.lastEventId();
    return this.append('checks', checkRows(capabilities, checks, eventsSeen));
  }

  async commit(checkId: number, alternative: number | null, holds: readonly Hold[], rep: string, terms: CommitTerms = {}): Promise<void> {
    const detail = commitDetail(alternative, terms);
    await this.appendEvent(checkId, 'commit', rep, detail);
    const c = committed(holds, detail);
    await this.q`INSERT INTO commitments (check_id, alternative, status, committed_at, hold_until, handoff_note, ref)
      VALUES (${checkId}, ${alternative}, ${c.status}, ${new Date().toISOString()}, ${c.hold_until}, ${c.handoff_note}, ${c.ref})`;
    await this.insertHolds(checkId, c.holds);
  }

  async recordDelivered(r: DeliveredRow): Promise<void> {
    await this.q`INSERT INTO delivered (check_id, delivered_on, factor, key, declared, late)
      VALUES (${r.check_id}, ${r.delivered_on}, ${r.factor}, ${r.key}, ${r.declared}, ${r.late})`;
    await this.q`INSERT INTO lateness (factor, key, took, n) VALUES (${r.factor}, ${r.key}, ${r.declared + r.late}, 1)
      ON CONFLICT (factor, key, took) DO UPDATE SET n = lateness.n + 1`;
  }

  async checkByRef(ref: string): Promise<number | undefined> {
    const [row] = await this.q`SELECT check_id FROM commitments WHERE ref = ${ref}
      ORDER BY (status IN ('open', 'held')) DESC, check_id DESC LIMIT 1`;
    return row === undefined ? undefined : Number(row.check_id);
  }

  async confirm(checkId: number, rep: string): Promise<void> {
    await this.appendEvent(checkId, 'confirm', rep, {});
    await this.q`UPDATE commitments SET status = 'open', hold_until = NULL WHERE check_id = ${checkId}`;
    await this.q`UPDATE holds SET until_day = NULL WHERE check_id = ${checkId}`;
  }

  async closeCommitment(checkId: number, status: Closing, rep: string, detail: { on?: string; note?: string; lateWorkdays?: number }): Promise<void> {
    await this.appendEvent(checkId, status === 'released' ? 'release' : 'outcome', rep, closeDetail(status, detail));
    await this.q`UPDATE commitments SET status = ${status}, outcome_on = ${detail.on ?? null}, note = ${detail.note ?? null},
      late_workdays = ${detail.lateWorkdays ?? null} WHERE check_id = ${checkId}`;
    await this.q`DELETE FROM holds WHERE check_id = ${checkId}`;
  }
}

export class PostgresLog extends Statements implements Log {
  readonly name: string;

  private constructor(
    private readonly sql: Sql,
    private readonly connection: Connection,
  ) {
    super(sql);
    this.name = connection.name;
  }

  static async open(connection: Connection, opts: OpenOptions): Promise<PostgresLog> {
    const sql = postgres({
      host: connection.host,
      port: connection.port,
      database: connection.database,
      username: connection.user,
      ...(connection.password === undefined ? {} : { password: connection.password }),
      ssl: sslOption(connection.ssl),
      connect_timeout: connection.connectTimeout,
      connection: { application_name: connection.applicationName },
      // One command at a time: a second connection only for reads beside a write.
      max: 2,
      onnotice: () => {},
      types: { bigint: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) } },
    }) as unknown as Sql;
    const log = new PostgresLog(sql, connection);
    try {
      const version = await log.schemaVersion();
      if (version === null && (opts.mustExist || opts.readonly)) throw noLogThere(connection.name);
      if (!opts.readonly && (version ?? 0) < MIGRATIONS.length) await log.migrate();
      return log;
    } catch (e) {
      await sql.end({ timeout: 0 }).catch(() => {});
      throw log.failure(e);
    }
  }

  /** null when the database has no promise log yet. */
  private async schemaVersion(): Promise<number | null> {
    const [exists] = await this.sql`SELECT to_regclass('promise_schema') IS NOT NULL AS present`;
    if (!exists?.present) return null;
    const [row] = await this.sql`SELECT version FROM promise_schema`;
    return (row?.version as number | undefined) ?? 0;
  }

  /** Whoever gets the lock first migrates; the others wait, re-read the version and find nothing to do. */
  private async migrate(): Promise<void> {
    await this.sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      await tx`CREATE TABLE IF NOT EXISTS promise_schema (version INTEGER NOT NULL)`;
      const [row] = await tx`SELECT version FROM promise_schema`;
      const version = (row?.version as number | undefined) ?? 0;
      for (let v = version; v < MIGRATIONS.length; v++) await tx.unsafe(MIGRATIONS[v]!);
      if (row) await tx`UPDATE promise_schema SET version = ${MIGRATIONS.length}`;
      else await tx`INSERT INTO promise_schema (version) VALUES (${MIGRATIONS.length})`;
    });
  }

  /** Every error from the server or the network becomes one line naming the log, never its password. */
  failure(e: unknown): Error {
    if (e instanceof Failure) return e;
    const err = e as { code?: string; message?: string };
    const code = err.code ?? '';
    const { database, user, connectTimeout } = this.connection;
    const why: Record<string, string> = {
      ECONNREFUSED: 'cannot be reached (connection refused)',
      ENOTFOUND: 'cannot be reached (unknown host)',
      EAI_AGAIN: 'cannot be reached (unknown host)',
      EHOSTUNREACH: 'cannot be reached (host unreachable)',
      CONNECT_TIMEOUT: `did not answer within ${connectTimeout} s (connect_timeout)`,
      '28P01': `refused the login of ${user} (wrong password)`,
      '28000': `refused the login of ${user}`,
      '3D000': `has no database "${database}"`,
      '42501': `refused this: ${err.message ?? 'permission denied'}`,
      '25006': `refused this: ${err.message ?? 'read-only transaction'}`,
      '53100': 'cannot grow: the disk is full',
      ECONNRESET: 'went away in the middle of the command',
      CONNECTION_CLOSED: 'went away in the middle of the command',
      CONNECTION_ENDED: 'went away in the middle of the command',
      CONNECTION_DESTROYED: 'went away in the middle of the command',
      '57P01': 'went away in the middle of the command (the server shut down)',
      '57P02': 'went away in the middle of the command (the server crashed)',
      '57P03': 'is starting up or shutting down: try again',
    };
    if (code === 'SASL_SIGNATURE_MISMATCH' || /password/i.test(err.message ?? '')) {
      if (!why[code]) return logError(`log ${this.name} refused the login of ${user}; nothing was recorded`);
    }
    return logError(
      `log ${this.name} ${why[code] ?? `cannot be written (${code ? `${code}: ` : ''}${redact(err.message ?? String(e), this.connection.password)})`}; nothing was recorded`,
    );
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.failure(e);
    }
  }

  override openHolds(today: string, sku?: string): Promise<Hold[]> {
    return this.guard(() => super.openHolds(today, sku));
  }

  override getCheck(id: number): Promise<CheckRow | undefined> {
    return this.guard(() => super.getCheck(id));
  }

  override lastEventId(): Promise<number> {
    return this.guard(() => super.lastEventId());
  }

  write<T>(fn: (tx: LogWriter) => Promise<T>): Promise<T> {
    return this.guard(() => this.sql.begin((tx) => fn(new Statements(tx as unknown as Query))) as Promise<T>);
  }

  listChecks(f: CheckFilter): Promise<CheckRow[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (clause: string, value: string | number) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (f.since !== undefined) add('c.recorded_at >= ?', f.since);
    const exact: [string | undefined, string][] = [
      [f.sku, 'c.sku'],
      [f.customer, 'c.customer'],
      [f.rep, 'c.rep'],
      [f.verdict, 'c.verdict'],
    ];
    for (const [value, column] of exact) if (value !== undefined) add(`${column} = ?`, value);
    if (f.status !== undefined) {
      const status = statusCondition(f.status, f.today);
      if (status.params.length === 0) where.push(status.sql);
      else add(status.sql, status.params[0]!);
    }
    params.push(f.limit);
    const sql = `${SELECT_CHECKS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id DESC LIMIT $${params.length}`;
    return this.guard(async () => (await this.sql.unsafe(sql, params)) as unknown as CheckRow[]);
  }

  stats(since: string | undefined, dimensions: readonly StatsDimension[]): Promise<StatsGroup[]> {
    return this.guard(async () => {
      const out: StatsGroup[] = [];
      for (const by of dimensions) {
        const expr = STATS_DIMENSIONS[by];
        // Sorted as SQLite sorts: bytewise, no value first.
        const rows = await this.sql.unsafe(
          `SELECT ${expr} AS grp, COUNT(*)::int AS checks,
             SUM((c.verdict = 'at_risk')::int)::int AS at_risk, SUM((c.verdict = 'infeasible')::int)::int AS infeasible,
             SUM((m.check_id IS NOT NULL)::int)::int AS committed, SUM((m.status = 'met')::int)::int AS met, SUM((m.status = 'missed')::int)::int AS missed,
             AVG(m.late_workdays)::float8 AS avg_late, MAX(m.late_workdays) AS worst_late
           FROM checks c LEFT JOIN commitments m ON m.check_id = c.id
           WHERE c.recorded_at >= $1
           GROUP BY grp ORDER BY checks DESC, (${expr}) COLLATE "C" NULLS FIRST`,
          [since ?? ''],
        );
        for (const { grp, ...r } of rows as unknown as (Omit<StatsGroup, 'by' | 'group'> & { grp: string | null })[]) out.push({ by, group: grp, ...r });
      }
      return out;
    });
  }

  lateness(since?: string, upToEvent?: number): Promise<LatenessCount[]> {
    return this.guard(
      async () =>
        (since === undefined && upToEvent === undefined
          ? await this.sql`SELECT factor, key, took, n FROM lateness`
          : await this.sql`SELECT d.factor, d.key, d.declared + d.late AS took, COUNT(*)::int AS n FROM delivered d
              WHERE d.delivered_on >= ${since ?? ''} AND (${upToEvent ?? null}::bigint IS NULL
                OR EXISTS (SELECT 1 FROM events e WHERE e.check_id = d.check_id AND e.kind = 'outcome' AND e.id <= ${upToEvent ?? null}::bigint))
              GROUP BY d.factor, d.key, took`) as unknown as LatenessCount[],
    );
  }

  lostDemand(since: string | undefined): Promise<LostDemand[]> {
    return this.guard(
      async () =>
        (await this.sql.unsafe(
          LOST_DEMAND.replace('?', '$1').replace(/ORDER BY units DESC, c\.sku, c\.region/, 'ORDER BY units DESC, c.sku COLLATE "C", c.region COLLATE "C"'),
          [since ?? ''],
        )) as unknown as LostDemand[],
    );
  }

  openCommitments(): Promise<{ row: CheckRow; alternative: number | null }[]> {
    return this.guard(async () => {
      const rows = (await this.sql.unsafe(`${SELECT_CHECKS} WHERE m.status IN ('open', 'held') ORDER BY m.committed_at, c.id`)) as unknown as CheckRow[];
      return rows.map((row) => ({ row, alternative: row.alternative }));
    });
  }

  /** Events up to `upTo` (all when undefined), with the checks they are about. */
  private async derived(upTo?: number) {
    const rows = (await this.sql.unsafe(
      `SELECT e.check_id, e.kind, e.detail, c.verdict, c.promise, c.result FROM events e JOIN checks c ON c.id = e.check_id
       ${upTo === undefined ? '' : 'WHERE e.id <= $1'} ORDER BY e.id`,
      upTo === undefined ? [] : [upTo],
    )) as unknown as (EventRow & Pick<CheckRow, 'verdict' | 'promise' | 'result'>)[];
    const checks = new Map(rows.map((r) => [r.check_id, r]));
    return deriveCommitments(rows, (id) => checks.get(id)!);
  }

  holdsAsOf(upTo: number, today: string): Promise<Hold[]> {
    return this.guard(async () => holdingOn(await this.derived(upTo), today));
  }

  dump(): Promise<LogDump> {
    return this.guard(async () => {
      const rows = async (table: ChainedTable) =>
        (await this.sql.unsafe(`SELECT ${quoted(CHAINED_COLUMNS[table])} FROM ${table} ORDER BY id`)) as unknown as Record<string, unknown>[];
      const kept = (await this.sql`SELECT sha256, content, feeds FROM capabilities`) as unknown as CapabilitiesRow[];
      const contents = await this.feedContents(kept);
      return { capabilities: kept.map((r) => keptOf(r, contents)), checks: await rows('checks'), events: await rows('events') };
    });
  }

  keptCapabilities(sha256: string): Promise<KeptCapabilities | undefined> {
    return this.guard(async () => {
      const [row] = (await this.sql`SELECT sha256, content, feeds FROM capabilities WHERE sha256 = ${sha256}`) as unknown as CapabilitiesRow[];
      return row && keptOf(row, await this.feedContents([row]));
    });
  }

  private async feedContents(rows: readonly CapabilitiesRow[]): Promise<Map<string, string>> {
    const hashes = feedHashes(rows);
    if (hashes.length === 0) return new Map();
    const found = (await this.sql`SELECT sha256, content FROM feeds WHERE sha256 IN ${this.sql(hashes)}`) as unknown as { sha256: string; content: string }[];
    return new Map(found.map((f) => [f.sha256, f.content]));
  }

  verify(): Promise<VerifyReport> {
    return this.guard(async () => {
      const tables: VerifyReport['tables'] = [];
      for (const table of ['checks', 'events'] as const) {
        const verifier = new ChainVerifier(table);
        const cursor = this.sql
          .unsafe(`SELECT ${quoted(CHAINED_COLUMNS[table])}, hash FROM ${table} ORDER BY id`)
          .values()
          .cursor(5000);
        for await (const batch of cursor) for (const values of batch) verifier.add(values);
        tables.push(verifier.finish(await this.head(table)));
      }
      const rows = (await this.sql.unsafe(`SELECT ${COMMITMENT_COLUMNS.join(', ')} FROM commitments ORDER BY check_id`)) as unknown as CommitmentRow[];
      const holds = (await this.sql`SELECT check_id, location, sku, qty, day, source, protected, until_day AS until FROM holds`) as unknown as HoldRow[];
      tables.push({ table: 'commitments', rows: rows.length, problems: compareDerived(await this.derived(), rows, holds) });
      // PostgreSQL keeps its own pages consistent; there is no integrity_check to run.
      return { tables, integrity: 'ok' };
    });
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 1 });
  }
}

function sslOption(mode: string | undefined): boolean | 'require' | 'prefer' | 'allow' | 'verify-full' {
  if (mode === undefined || mode === 'disable') return false;
  if (mode === 'verify-ca') return 'verify-full';
  return mode as 'require' | 'prefer' | 'allow' | 'verify-full';
}

/** A server or driver message should never quote the password; make sure. */
function redact(text: string, password: string | undefined): string {
  return password ? text.split(password).join('***') : text;
}
