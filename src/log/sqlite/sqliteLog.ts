// The log in a SQLite file: a rep alone, nothing to set up. Every write runs in
// one IMMEDIATE transaction, which takes SQLite's single write lock: commits from
// several processes are serialized by it, so a commit's re-check inside `write`
// sees everything committed before it.
import type { Hold } from '../../core/commitments/ledger.js';
import { parseIsoDay } from '../../core/time/days.js';
import { Failure } from '../../errors.js';
import { CHAINED_COLUMNS, type ChainedTable, ChainVerifier, chainRows, GENESIS, type Head } from '../chain.js';
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
  LogProblem,
  LogWriter,
  LostDemand,
  StatsDimension,
  StatsGroup,
  VerifyReport,
} from '../log.js';
import { LOST_DEMAND, STATS_DIMENSIONS } from '../log.js';
import { type Db, logFailure, openDb } from './db.js';

const SELECT_CHECKS = `
  SELECT c.*, COALESCE(m.status, 'checked') AS status, m.alternative AS alternative,
         m.hold_until AS hold_until, m.handoff_note AS handoff_note, m.late_workdays AS late_workdays,
         m.committed_at AS committed_at, m.ref AS ref
  FROM checks c LEFT JOIN commitments m ON m.check_id = c.id`;

/** A hold as the ledger wants it: `until` only for quotes. */
const SELECT_HOLDS = 'SELECT location, sku, qty, day, source, protected, until_day AS until FROM holds';

export class SqliteLog implements Log, LogWriter {
  private constructor(
    private readonly db: Db,
    readonly name: string,
  ) {}

  static open(path: string, readonly: boolean): SqliteLog {
    return new SqliteLog(openDb(path, readonly), path);
  }

  /** SQLite errors become log failures (exit 4); our own failures and bugs pass through. */
  private fail(e: unknown): never {
    if (e instanceof Failure || typeof (e as { code?: unknown }).code !== 'string') throw e;
    throw logFailure(this.name, e);
  }

  async write<T>(fn: (tx: LogWriter) => Promise<T>): Promise<T> {
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      this.fail(e);
    }
    try {
      const result = await fn(this);
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.fail(e);
    }
  }

  /** `empty` answers for a log opened read-only before anything created its tables. */
  private read<T>(fn: () => T, empty: T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      if (/no such table/.test((e as Error).message)) return Promise.resolve(empty);
      this.fail(e);
    }
  }

  /** The IMMEDIATE transaction already holds SQLite's only write lock. */
  async lockForCommit(): Promise<void> {}

  openHolds(today: string, sku?: string): Promise<Hold[]> {
    // A quote holds through its last day: expired ones hold nothing, with no job to run.
    const day = parseIsoDay(today)!;
    return this.read(() => {
      const rows =
        sku === undefined
          ? this.db.prepare(`${SELECT_HOLDS} WHERE (until_day IS NULL OR until_day >= ?)`).all(day)
          : this.db.prepare(`${SELECT_HOLDS} WHERE sku = ? AND (until_day IS NULL OR until_day >= ?)`).all(sku, day);
      return rows as Hold[];
    }, []);
  }

  getCheck(id: number): Promise<CheckRow | undefined> {
    return this.read(() => this.db.prepare(`${SELECT_CHECKS} WHERE c.id = ?`).get(id) as CheckRow | undefined, undefined);
  }

  lastEventId(): Promise<number> {
    return this.read(() => this.head('events').lastId, 0);
  }

  private head(table: ChainedTable): Head {
    const row = this.db.prepare('SELECT last_id AS lastId, hash FROM chain_heads WHERE tbl = ?').get(table) as Head | undefined;
    return row ?? { lastId: 0, hash: GENESIS };
  }

  async appendRows(table: ChainedTable, rows: readonly Record<string, unknown>[]): Promise<number[]> {
    return this.append(table, rows);
  }

  async storeCapabilities(kept: KeptCapabilities): Promise<void> {
    // Look before inserting: binding a large file's text for every chunk of a batch costs more than the rows.
    if (this.db.prepare('SELECT 1 FROM capabilities WHERE sha256 = ?').get(kept.sha256)) return;
    const known = this.db.prepare('SELECT 1 FROM feeds WHERE sha256 = ?');
    for (const f of kept.feeds) if (!known.get(f.sha256)) this.db.prepare('INSERT INTO feeds (sha256, content) VALUES (?, ?)').run(f.sha256, f.content());
    this.db.prepare('INSERT INTO capabilities (sha256, content, feeds) VALUES (?, ?, ?)').run(kept.sha256, kept.content, feedsColumn(kept));
  }

  async restoreCommitment(checkId: number, c: DerivedCommitment, committedAt: string): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO commitments (check_id, alternative, status, committed_at, outcome_on, note, hold_until, handoff_note, late_workdays, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(checkId, c.alternative, c.status, committedAt, c.outcome_on, c.note, c.hold_until, c.handoff_note, c.late_workdays, c.ref);
    this.insertHolds(checkId, c.holds);
  }

  private insertHolds(checkId: number, holds: readonly Hold[]): void {
    const insert = this.db.prepare('INSERT INTO holds (check_id, location, sku, qty, day, source, protected, until_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const h of holds) insert.run(checkId, h.location, h.sku, h.qty, h.day, h.source, h.protected ?? null, h.until ?? null);
  }

  async countChecks(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM checks').get() as { n: number }).n;
  }

  async dump(): Promise<LogDump> {
    const rows = (table: ChainedTable) =>
      this.db.prepare(`SELECT ${CHAINED_COLUMNS[table].join(', ')} FROM ${table} ORDER BY id`).all() as Record<string, unknown>[];
    return {
      capabilities: (() => {
        const rows = this.db.prepare('SELECT sha256, content, feeds FROM capabilities ORDER BY rowid').all() as CapabilitiesRow[];
        const contents = this.feedContents(rows);
        return rows.map((r) => keptOf(r, contents));
      })(),
      checks: rows('checks'),
      events: rows('events'),
    };
  }

  private append(table: ChainedTable, rows: readonly Record<string, unknown>[]): number[] {
    const columns = CHAINED_COLUMNS[table];
    const { values, head } = chainRows(table, this.head(table), rows);
    const insert = this.db.prepare(`INSERT INTO ${table} (${columns.join(', ')}, hash) VALUES (${columns.map(() => '?').join(', ')}, ?)`);
    for (const v of values) insert.run(...v);
    if (rows.length > 0) {
      this.db
        .prepare(
          'INSERT INTO chain_heads (tbl, last_id, hash) VALUES (?, ?, ?) ON CONFLICT(tbl) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash',
        )
        .run(table, head.lastId, head.hash);
    }
    return values.map((v) => v[0] as number);
  }

  private appendEvent(checkId: number, kind: EventKind, rep: string, detail: EventDetail): void {
    this.append('events', [{ check_id: checkId, kind, at: new Date().toISOString(), rep, detail: JSON.stringify(detail) }]);
  }

  async recordChecks(capabilities: CapabilitiesSource, checks: readonly CheckToRecord[]): Promise<number[]> {
    await this.storeCapabilities(capabilities);
    const eventsSeen = this.head('events').lastId;
    return this.append('checks', checkRows(capabilities, checks, eventsSeen));
  }

  async commit(checkId: number, alternative: number | null, holds: readonly Hold[], rep: string, terms: CommitTerms = {}): Promise<void> {
    const detail = commitDetail(alternative, terms);
    this.appendEvent(checkId, 'commit', rep, detail);
    const c = committed(holds, detail);
    this.db
      .prepare('INSERT INTO commitments (check_id, alternative, status, committed_at, hold_until, handoff_note, ref) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(checkId, alternative, c.status, new Date().toISOString(), c.hold_until, c.handoff_note, c.ref);
    this.insertHolds(checkId, c.holds);
  }

  async recordDelivered(r: DeliveredRow): Promise<void> {
    this.db
      .prepare('INSERT INTO delivered (check_id, delivered_on, factor, key, declared, late) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.check_id, r.delivered_on, r.factor, r.key, r.declared, r.late);
    this.db
      .prepare('INSERT INTO lateness (factor, key, took, n) VALUES (?, ?, ?, 1) ON CONFLICT (factor, key, took) DO UPDATE SET n = n + 1')
      .run(r.factor, r.key, r.declared + r.late);
  }

  async checkByRef(ref: string): Promise<number | undefined> {
    return this.db.prepare("SELECT check_id FROM commitments WHERE ref = ? ORDER BY status IN ('open', 'held') DESC, check_id DESC LIMIT 1").pluck().get(ref) as
      | number
      | undefined;
  }

  async confirm(checkId: number, rep: string): Promise<void> {
    this.appendEvent(checkId, 'confirm', rep, {});
    this.db.prepare("UPDATE commitments SET status = 'open', hold_until = NULL WHERE check_id = ?").run(checkId);
    this.db.prepare('UPDATE holds SET until_day = NULL WHERE check_id = ?').run(checkId);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async closeCommitment(checkId: number, status: Closing, rep: string, detail: { on?: string; note?: string; lateWorkdays?: number }): Promise<void> {
    this.appendEvent(checkId, status === 'released' ? 'release' : 'outcome', rep, closeDetail(status, detail));
    this.db
      .prepare('UPDATE commitments SET status = ?, outcome_on = ?, note = ?, late_workdays = ? WHERE check_id = ?')
      .run(status, detail.on ?? null, detail.note ?? null, detail.lateWorkdays ?? null, checkId);
    this.db.prepare('DELETE FROM holds WHERE check_id = ?').run(checkId);
  }

  listChecks(f: CheckFilter): Promise<CheckRow[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const exact: [string | undefined, string][] = [
      [f.sku, 'c.sku'],
      [f.customer, 'c.customer'],
      [f.rep, 'c.rep'],
      [f.verdict, 'c.verdict'],
    ];
    if (f.since !== undefined) {
      where.push('c.recorded_at >= ?');
      params.push(f.since);
    }
    if (f.status !== undefined) {
      const status = statusCondition(f.status, f.today);
      where.push(status.sql);
      params.push(...status.params);
    }
    for (const [value, column] of exact) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const sql = `${SELECT_CHECKS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id DESC LIMIT ?`;
    return this.read(() => this.db.prepare(sql).all(...params, f.limit) as CheckRow[], []);
  }

  stats(since: string | undefined, dimensions: readonly StatsDimension[]): Promise<StatsGroup[]> {
    return this.read(
      () =>
        dimensions.flatMap((by) =>
          (
            this.db
              .prepare(
                `SELECT ${STATS_DIMENSIONS[by]} AS grp, COUNT(*) AS checks,
                 SUM(c.verdict = 'at_risk') AS at_risk, SUM(c.verdict = 'infeasible') AS infeasible,
                 SUM(m.check_id IS NOT NULL) AS committed, SUM(m.status = 'met') AS met, SUM(m.status = 'missed') AS missed,
                 AVG(m.late_workdays) AS avg_late, MAX(m.late_workdays) AS worst_late
               FROM checks c LEFT JOIN commitments m ON m.check_id = c.id
               WHERE c.recorded_at >= ?
               GROUP BY grp ORDER BY checks DESC, grp`,
              )
              .all(since ?? '') as (Omit<StatsGroup, 'by' | 'group'> & { grp: string | null })[]
          ).map(({ grp, ...r }) => ({ by, group: grp, ...r })),
        ),
      [],
    );
  }

  lateness(since?: string, upToEvent?: number): Promise<LatenessCount[]> {
    if (since === undefined && upToEvent === undefined)
      return this.read(() => this.db.prepare('SELECT factor, key, took, n FROM lateness').all() as LatenessCount[], []);
    const sql = `SELECT d.factor, d.key, d.declared + d.late AS took, COUNT(*) AS n FROM delivered d
      WHERE d.delivered_on >= ? AND (? IS NULL OR EXISTS (SELECT 1 FROM events e WHERE e.check_id = d.check_id AND e.kind = 'outcome' AND e.id <= ?))
      GROUP BY d.factor, d.key, took`;
    const upTo = upToEvent ?? null;
    return this.read(() => this.db.prepare(sql).all(since ?? '', upTo, upTo) as LatenessCount[], []);
  }

  lostDemand(since: string | undefined): Promise<LostDemand[]> {
    return this.read(() => this.db.prepare(LOST_DEMAND).all(since ?? '') as LostDemand[], []);
  }

  openCommitments(): Promise<{ row: CheckRow; alternative: number | null }[]> {
    return this.read(
      () =>
        (this.db.prepare(`${SELECT_CHECKS} WHERE m.status IN ('open', 'held') ORDER BY m.committed_at, c.id`).all() as CheckRow[]).map((row) => ({
          row,
          alternative: row.alternative,
        })),
      [],
    );
  }

  holdsAsOf(upTo: number, today: string): Promise<Hold[]> {
    return this.read(() => {
      const events = this.db.prepare('SELECT check_id, kind, detail FROM events WHERE id <= ? ORDER BY id').iterate(upTo) as Iterable<EventRow>;
      return holdingOn(
        deriveCommitments(events, (id) => this.checkResult(id)),
        today,
      );
    }, []);
  }

  private checkResult(id: number): Pick<CheckRow, 'verdict' | 'promise' | 'result'> {
    return this.db.prepare('SELECT verdict, promise, result FROM checks WHERE id = ?').get(id) as Pick<CheckRow, 'verdict' | 'promise' | 'result'>;
  }

  keptCapabilities(sha256: string): Promise<KeptCapabilities | undefined> {
    return this.read(() => {
      const row = this.db.prepare('SELECT sha256, content, feeds FROM capabilities WHERE sha256 = ?').get(sha256) as CapabilitiesRow | undefined;
      return row && keptOf(row, this.feedContents([row]));
    }, undefined);
  }

  private feedContents(rows: readonly CapabilitiesRow[]): Map<string, string> {
    const content = this.db.prepare('SELECT content FROM feeds WHERE sha256 = ?').pluck();
    return new Map(feedHashes(rows).map((h) => [h, content.get(h) as string]));
  }

  async verify(): Promise<VerifyReport> {
    const tables: VerifyReport['tables'] = (['checks', 'events'] as const).map((table) => {
      const verifier = new ChainVerifier(table);
      const select = this.db.prepare(`SELECT ${CHAINED_COLUMNS[table].join(', ')}, hash FROM ${table} ORDER BY id`).raw(true);
      for (const values of select.iterate() as Iterable<unknown[]>) verifier.add(values);
      return verifier.finish(this.head(table));
    });
    tables.push(this.verifyDerived());
    const integrity = this.db.pragma('integrity_check', { simple: true }) as string;
    return { tables, integrity };
  }

  /** `commitments` and `holds` must be exactly what the events make of them. */
  private verifyDerived(): { table: string; rows: number; problems: LogProblem[] } {
    const events = this.db.prepare('SELECT check_id, kind, detail FROM events ORDER BY id').iterate() as Iterable<EventRow>;
    const derived = deriveCommitments(events, (id) => this.checkResult(id));
    const rows = this.db.prepare(`SELECT ${COMMITMENT_COLUMNS.join(', ')} FROM commitments ORDER BY check_id`).all() as CommitmentRow[];
    const holds = this.db.prepare(`${SELECT_HOLDS.replace('SELECT', 'SELECT check_id,')}`).all() as HoldRow[];
    return { table: 'commitments', rows: rows.length, problems: compareDerived(derived, rows, holds) };
  }
}
