// The log, written once: every table's reads and writes as SQL both databases
// run alike, over a Dialect (dialect.ts) that does only what they do
// differently. `Statements` runs on whatever it is given (the log's connection,
// or a write transaction); `Store` adds what only the whole log does.
import type { Hold } from '../core/commitments/ledger.js';
import { parseIsoDay } from '../core/time/days.js';
import { Failure, usageError } from '../errors.js';
import { capabilitiesSha, sha256 } from '../hash.js';
import { CHAINED_COLUMNS, type ChainedTable, ChainVerifier, chainRows, type Head } from './chain.js';
import { type CapabilitiesRow, checkRows, feedHashes, feedsColumn, keptOf } from './checkRows.js';
import {
  COMMIT_ORDER,
  COMMITMENT_COLUMNS,
  type CommitmentRow,
  type CommitTerms,
  closeDetail,
  commitDetail,
  compareDerived,
  type DerivedCommitment,
  deriveCommitments,
  type EventDetail,
  type EventKind,
  type EventRow,
  type HoldRow,
  holdingOn,
  liveAsOf,
  replanDetail,
  statusCondition,
} from './derive.js';
import { type Dialect, type Executor, newerSchema, type Transaction } from './dialect.js';
import type {
  CapabilitiesSource,
  CheckFilter,
  CheckRow,
  CheckToRecord,
  Closing,
  CommitmentEvent,
  CopiedTable,
  DeliveredRow,
  HoldsSnapshot,
  KeptCapabilities,
  LatenessCount,
  LiveCommitment,
  Log,
  LogProblem,
  LogWriter,
  LostDemand,
  StatsDimension,
  StatsGroup,
  TokenRow,
  TokenScope,
  VerifyReport,
} from './log.js';
import type { LogOwnership } from './postgres/grants.js';
import { SCHEMA_VERSION } from './schemaVersion.js';
import { type Sql, sql } from './sql.js';

const SELECT_CHECKS = sql`
  SELECT c.*, COALESCE(m.status, 'checked') AS status, m.alternative AS alternative,
         m.hold_until AS hold_until, m.handoff_note AS handoff_note, m.late_workdays AS late_workdays,
         m.committed_at AS committed_at, m.ref AS ref
  FROM checks c LEFT JOIN commitments m ON m.check_id = c.id`;

const TOKEN_COLUMNS = sql`id, rep, scope, created_at, revoked_at`;

const DELIVERED_COLUMNS = ['check_id', 'delivered_on', 'factor', 'key', 'declared', 'late'] as const;

/** What `stats` groups by (month: of the check, in the company zone). */
const STATS_DIMENSIONS: Record<StatsDimension, Sql> = {
  sku: sql`COALESCE(c.sku, c.service)`,
  region: sql`c.region`,
  rep: sql`c.rep`,
  month: sql`substr(c.now, 1, 7)`,
};

/** A condition as a number both databases sum alike. */
const count = (condition: Sql) => sql`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

type HoldSnapshotRow = Omit<Hold, 'until'> & { seen: number };

/** A log's statements on one executor: the log's own connection, or a write transaction. */
class Statements {
  constructor(
    protected readonly db: Executor,
    protected readonly dialect: Dialect,
  ) {}

  async openHolds(today: string, skus?: readonly string[]): Promise<HoldsSnapshot> {
    // A quote holds through its last day: expired ones hold nothing, with no job to run.
    const day = parseIsoDay(today)!;
    const ofSkus = skus === undefined ? sql`` : skus.length === 0 ? sql` AND 1 = 0` : sql` AND h.sku IN (${sql.join(skus.map((s) => sql`${s}`))})`;
    // One statement, so one snapshot: the holds and the event position they stand at (exact replay).
    // Summed per location, day and source (all a ledger reads): a sku with 100,000 open holds is a few rows.
    const found = await this.db.all<HoldSnapshotRow>(sql`
      SELECT e.last_id AS seen, h.location, h.sku, SUM(h.qty) AS qty, h.day, h.source, SUM(h.protected) AS protected
      FROM chain_heads e LEFT JOIN holds h ON (h.until_day IS NULL OR h.until_day >= ${day})${ofSkus}
      WHERE e.tbl = 'events'
      GROUP BY e.last_id, h.location, h.sku, h.day, h.source`);
    const seen = found[0]?.seen ?? 0;
    return { seen, holds: found.filter((r) => r.sku !== null).map(({ seen: _seen, ...h }) => h as Hold) };
  }

  async getCheck(id: number): Promise<CheckRow | undefined> {
    const [row] = await this.db.all<CheckRow>(sql`${SELECT_CHECKS} WHERE c.id = ${id}`);
    return row;
  }

  async liveCommitments(today: string, skus?: readonly string[]): Promise<LiveCommitment[]> {
    const holding = skus === undefined ? sql`` : sql` AND c.id IN (SELECT check_id FROM holds WHERE sku IN (${sql.join(skus.map((s) => sql`${s}`))}))`;
    const rows = await this.db.all<CheckRow & { parts: string | null }>(sql`
      SELECT c.*, m.status AS status, m.alternative AS alternative, m.hold_until AS hold_until, m.handoff_note AS handoff_note,
             m.late_workdays AS late_workdays, m.committed_at AS committed_at, m.ref AS ref, m.parts AS parts
      FROM checks c JOIN commitments m ON m.check_id = c.id
      WHERE (m.status = 'open' OR (m.status = 'held' AND m.hold_until >= ${today}))${holding}
      ORDER BY ${COMMIT_ORDER}`);
    const ofChecks = skus === undefined ? sql`` : sql` AND check_id IN (SELECT check_id FROM holds WHERE sku IN (${sql.join(skus.map((s) => sql`${s}`))}))`;
    const held = await this.db.all<Hold & { check_id: number }>(sql`
      SELECT check_id, location, sku, qty, day, source, protected, until_day AS until FROM holds
      WHERE (until_day IS NULL OR until_day >= ${parseIsoDay(today)!})${ofChecks} ORDER BY ${this.dialect.rowOrder}`);
    const holds = new Map<number, Hold[]>();
    for (const { check_id, ...hold } of held) {
      const list = holds.get(check_id);
      if (list) list.push(hold);
      else holds.set(check_id, [hold]);
    }
    return rows.map(({ parts, ...row }) => ({ row, holds: holds.get(row.id) ?? [], parts }));
  }

  /** Lateness histograms per factor: the derived table whole, or counted from deliveries since a day or up to an event (replay). */
  async lateness(since?: string, upToEvent?: number): Promise<LatenessCount[]> {
    if (since === undefined && upToEvent === undefined) return this.db.all<LatenessCount>(sql`SELECT factor, key, took, n FROM lateness`);
    const upTo =
      upToEvent === undefined ? sql`` : sql` AND EXISTS (SELECT 1 FROM events e WHERE e.check_id = d.check_id AND e.kind = 'outcome' AND e.id <= ${upToEvent})`;
    return this.db.all<LatenessCount>(sql`
      SELECT d.factor, d.key, d.declared + d.late AS took, COUNT(*) AS n FROM delivered d
      WHERE d.delivered_on >= ${since ?? ''}${upTo}
      GROUP BY d.factor, d.key, d.declared + d.late`);
  }

  async lastEventId(): Promise<number> {
    return (await this.head('events')).lastId;
  }

  /** The check committed under an order number: the open (or held) one, else the latest closed one. */
  async checkByRef(ref: string): Promise<number | undefined> {
    const [row] = await this.db.all<{ check_id: number }>(
      sql`SELECT check_id FROM commitments WHERE ref = ${ref} ORDER BY CASE WHEN status IN ('open', 'held') THEN 0 ELSE 1 END, check_id DESC LIMIT 1`,
    );
    return row?.check_id;
  }

  async heads(): Promise<Record<ChainedTable, Head>> {
    return { checks: await this.head('checks'), events: await this.head('events') };
  }

  protected async head(table: ChainedTable): Promise<Head> {
    const [row] = await this.db.all<{ last_id: number; hash: string }>(sql`SELECT last_id, hash FROM chain_heads WHERE tbl = ${table}`);
    return { lastId: row!.last_id, hash: row!.hash };
  }
}

/** Statements inside one write transaction. */
class Writer extends Statements implements LogWriter {
  constructor(
    private readonly tx: Transaction,
    dialect: Dialect,
    /** The database role every row is recorded as, whatever the rep given (TEAM.md); null: as given. */
    private readonly recordsAs: string | null,
  ) {
    super(tx, dialect);
  }

  private rep(given: string): string {
    return this.recordsAs ?? given;
  }

  /** The head of a chain, locked until the transaction ends: no one else appends after it meanwhile. */
  private async lockedHead(table: ChainedTable): Promise<Head> {
    await this.tx.lockChain(table);
    return this.head(table);
  }

  lockForCommit(skus: readonly string[] | 'all'): Promise<void> {
    return this.tx.lockSkus(skus);
  }

  async lockEvents(): Promise<number> {
    return (await this.lockedHead('events')).lastId;
  }

  async storeCapabilities(kept: KeptCapabilities): Promise<void> {
    if (!(await this.isKept(kept))) await this.keep(kept);
  }

  /** Looked up before inserting: sending a large file's text with every chunk of a batch costs more than the rows. */
  private async isKept(kept: KeptCapabilities): Promise<boolean> {
    const [known] = await this.db.all(sql`SELECT 1 AS one FROM capabilities WHERE sha256 = ${kept.sha256}`);
    return known !== undefined;
  }

  private async keep(kept: KeptCapabilities): Promise<void> {
    for (const f of kept.feeds) {
      const [there] = await this.db.all(sql`SELECT 1 AS one FROM feeds WHERE sha256 = ${f.sha256}`);
      if (!there) await this.db.send(sql`INSERT INTO feeds (sha256, content) VALUES (${f.sha256}, ${f.content()}) ON CONFLICT DO NOTHING`);
    }
    await this.db.send(
      sql`INSERT INTO capabilities (sha256, content, feeds) VALUES (${kept.sha256}, ${kept.content}, ${feedsColumn(kept)}) ON CONFLICT DO NOTHING`,
    );
  }

  async countChecks(): Promise<number> {
    const [row] = await this.db.all<{ n: number }>(sql`SELECT COUNT(*) AS n FROM checks`);
    return row!.n;
  }

  /**
   * Appends after the chain's head, locked for the rest of the transaction. The
   * database moves the head, and turns each event into its commitment and holds
   * (migration 9): the tool writes nothing derived.
   */
  async appendRows(table: ChainedTable, rows: readonly Record<string, unknown>[]): Promise<number[]> {
    if (rows.length === 0) return [];
    return this.appendAfter(table, await this.lockedHead(table), rows);
  }

  private async appendAfter(table: ChainedTable, head: Head, rows: readonly Record<string, unknown>[]): Promise<number[]> {
    const { values } = chainRows(table, head, rows);
    await this.db.insert(table, [...CHAINED_COLUMNS[table], 'hash'], values);
    return values.map((v) => v[0] as number);
  }

  /**
   * An event about a commitment in the status `check` accepts. The status and the
   * chain's head are read at once (one round trip on a team log); the database
   * refuses the event too if the status changed in between (migration 9).
   */
  private async appendEvent(checkId: number, kind: EventKind, rep: string, detail: EventDetail, check: (status: string | null) => void): Promise<void> {
    const [status, head] = await Promise.all([this.statusOf(checkId), this.lockedHead('events')]);
    check(status);
    await this.appendAfter('events', head, [{ check_id: checkId, kind, at: new Date().toISOString(), rep: this.rep(rep), detail: JSON.stringify(detail) }]);
  }

  recordChecks(capabilities: CapabilitiesSource, checks: readonly CheckToRecord[]): Promise<number[]> {
    return this.startRecording(capabilities).record(checks);
  }

  startRecording(capabilities: CapabilitiesSource): { record(checks: readonly CheckToRecord[]): Promise<number[]> } {
    // Sent now, together: whether the text is kept yet, and the chain's head (locked); the text, if new, and the rows go with COMMIT.
    const ready = Promise.all([this.isKept(capabilities), this.lockedHead('checks')]);
    ready.catch(() => {}); // waited for by record()
    return {
      record: async (checks) => {
        const [kept, head] = await ready;
        if (!kept) await this.keep(capabilities);
        const rows = checkRows(capabilities, checks);
        if (this.recordsAs !== null) for (const r of rows) r.rep = this.recordsAs;
        return this.appendAfter('checks', head, rows);
      },
    };
  }

  /** The commitment's stored status, or null when the check is not committed. */
  private async statusOf(checkId: number): Promise<string | null> {
    const [row] = await this.db.all<{ status: string }>(sql`SELECT status FROM commitments WHERE check_id = ${checkId}`);
    return row?.status ?? null;
  }

  /**
   * Says why a commitment in `status` cannot take an event that needs it `open`
   * or `held`. The database refuses the same (migration 9) when two land at once:
   * of two closings, one changes it.
   */
  private static refuse(checkId: number, allowed: readonly string[], otherwise: string) {
    return (status: string | null): void => {
      if (status !== null && allowed.includes(status)) return;
      throw usageError(`check ${checkId} ${status === null ? 'is not committed' : otherwise.replace('%s', status)}`);
    };
  }

  async commit(checkId: number, alternative: number | null, rep: string, terms: CommitTerms = {}): Promise<void> {
    await this.appendEvent(checkId, 'commit', rep, commitDetail(alternative, terms), (status) => {
      if (status !== null) throw usageError(`check ${checkId} is already committed`);
    });
  }

  /** Beside an outcome: the delivery against its plan (the database counts it into the factor's histogram, LEARN.md). */
  async recordDelivered(r: DeliveredRow): Promise<void> {
    await this.db.run(sql`
      INSERT INTO delivered (check_id, delivered_on, factor, key, declared, late)
      VALUES (${r.check_id}, ${r.delivered_on}, ${r.factor}, ${r.key}, ${r.declared}, ${r.late})`);
  }

  async replan(checkId: number, holds: readonly Hold[], parts: readonly unknown[], rep: string): Promise<void> {
    const open = Writer.refuse(checkId, ['open', 'held'], 'is not an open commitment (any more)');
    await this.appendEvent(checkId, 'replan', rep, replanDetail(holds, parts), open);
  }

  async confirm(checkId: number, rep: string): Promise<void> {
    await this.appendEvent(checkId, 'confirm', rep, {}, Writer.refuse(checkId, ['held'], 'is not a held quote (any more)'));
  }

  async closeCommitment(checkId: number, status: Closing, rep: string, detail: { on?: string; note?: string; lateWorkdays?: number }): Promise<void> {
    const open = Writer.refuse(checkId, ['open', 'held'], 'is already %s');
    await this.appendEvent(checkId, status === 'released' ? 'release' : 'outcome', rep, closeDetail(status, detail), open);
  }
}

export class Store extends Statements implements Log {
  readonly name: string;

  constructor(dialect: Dialect) {
    super(dialect, dialect);
    this.name = dialect.name;
  }

  /** Creates or migrates the schema from `version` (as schemaVersion read it; a write open), refusing one a newer release wrote. */
  async migrate(version: number | null): Promise<void> {
    if (version !== null && version > SCHEMA_VERSION) throw newerSchema(this.name, version, SCHEMA_VERSION);
    // Up to date: nothing to lock or create (a rep's role may not create anything).
    if (version === SCHEMA_VERSION) return;
    const { MIGRATIONS } = await import('./migrations.js');
    await this.dialect.migrate(MIGRATIONS.map((m) => m(this.dialect.kind)));
  }

  schemaVersion(): Promise<number | null> {
    return this.dialect.schemaVersion();
  }

  /** Database errors become log failures (exit 4); ours and bugs pass through. */
  private async guard<T>(fn: () => Promise<T>, empty?: { value: T }): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      // A log opened read-only before anything created its tables reads as empty.
      if (empty && !(e instanceof Failure) && this.dialect.isMissingTable(e)) return empty.value;
      throw this.dialect.failure(e);
    }
  }

  write<T>(fn: (tx: LogWriter) => Promise<T>): Promise<T> {
    return this.guard(() => this.dialect.transaction((tx) => fn(new Writer(tx, this.dialect, this.dialect.recordsAs))));
  }

  override openHolds(today: string, skus?: readonly string[]): Promise<HoldsSnapshot> {
    return this.guard(() => super.openHolds(today, skus), { value: { holds: [], seen: 0 } });
  }

  override getCheck(id: number): Promise<CheckRow | undefined> {
    return this.guard(() => super.getCheck(id), { value: undefined });
  }

  override liveCommitments(today: string, skus?: readonly string[]): Promise<LiveCommitment[]> {
    return this.guard(() => super.liveCommitments(today, skus), { value: [] });
  }

  override checkByRef(ref: string): Promise<number | undefined> {
    return this.guard(() => super.checkByRef(ref), { value: undefined });
  }

  override lastEventId(): Promise<number> {
    return this.guard(() => super.lastEventId(), { value: 0 });
  }

  listChecks(f: CheckFilter): Promise<CheckRow[]> {
    const where: Sql[] = [];
    if (f.since !== undefined) where.push(sql`c.recorded_at >= ${f.since}`);
    const exact: [string | undefined, Sql][] = [
      [f.sku, sql`c.sku`],
      [f.customer, sql`c.customer`],
      [f.rep, sql`c.rep`],
      [f.verdict, sql`c.verdict`],
    ];
    for (const [value, column] of exact) if (value !== undefined) where.push(sql`${column} = ${value}`);
    if (f.status !== undefined) where.push(statusCondition(f.status, f.today));
    const filter = where.length ? sql`WHERE ${sql.join(where, ' AND ')}` : sql``;
    return this.guard(() => this.db.all<CheckRow>(sql`${SELECT_CHECKS} ${filter} ORDER BY c.id DESC LIMIT ${f.limit}`), { value: [] });
  }

  stats(since: string | undefined, dimensions: readonly StatsDimension[]): Promise<StatsGroup[]> {
    return this.guard(
      async () => {
        const out: StatsGroup[] = [];
        for (const by of dimensions) {
          const expr = STATS_DIMENSIONS[by];
          const found = await this.db.all<Omit<StatsGroup, 'by' | 'group'> & { grp: string | null }>(sql`
            SELECT ${expr} AS grp, COUNT(*) AS checks,
              ${count(sql`c.verdict = 'at_risk'`)} AS at_risk, ${count(sql`c.verdict = 'infeasible'`)} AS infeasible,
              ${count(sql`m.check_id IS NOT NULL`)} AS committed, ${count(sql`m.status = 'met'`)} AS met, ${count(sql`m.status = 'missed'`)} AS missed,
              AVG(m.late_workdays) AS avg_late, MAX(m.late_workdays) AS worst_late
            FROM checks c LEFT JOIN commitments m ON m.check_id = c.id
            WHERE c.recorded_at >= ${since ?? ''}
            GROUP BY ${expr} ORDER BY checks DESC, ${this.dialect.ordered(expr)}`);
          for (const { grp, ...r } of found) out.push({ by, group: grp, ...r });
        }
        return out;
      },
      { value: [] },
    );
  }

  /** Demand the company turned away: infeasible checks never committed in any form. */
  lostDemand(since: string | undefined): Promise<LostDemand[]> {
    return this.guard(
      () =>
        this.db.all<LostDemand>(sql`
          SELECT c.sku AS sku, c.region AS region, COUNT(*) AS checks, SUM(c.qty) AS units
          FROM checks c LEFT JOIN commitments m ON m.check_id = c.id
          WHERE c.verdict = 'infeasible' AND m.check_id IS NULL AND c.kind IN ('delivery', 'order') AND c.recorded_at >= ${since ?? ''}
          GROUP BY c.sku, c.region ORDER BY units DESC, ${this.dialect.ordered(sql`c.sku`)}, ${this.dialect.ordered(sql`c.region`)}`),
      { value: [] },
    );
  }

  override lateness(since?: string, upToEvent?: number): Promise<LatenessCount[]> {
    return this.guard(() => super.lateness(since, upToEvent), { value: [] });
  }

  openCommitmentEvents(): Promise<CommitmentEvent[]> {
    return this.guard(
      () =>
        this.db.all<CommitmentEvent>(sql`
          SELECT e.check_id AS check_id, e.kind AS kind, e.at AS at FROM events e JOIN commitments m ON m.check_id = e.check_id
          WHERE m.status IN ('open', 'held') ORDER BY e.id`),
      { value: [] },
    );
  }

  openCommitments(): Promise<{ row: CheckRow; alternative: number | null }[]> {
    return this.guard(
      async () =>
        (await this.db.all<CheckRow>(sql`${SELECT_CHECKS} WHERE m.status IN ('open', 'held') ORDER BY m.committed_at, c.id`)).map((row) => ({
          row,
          alternative: row.alternative,
        })),
      { value: [] },
    );
  }

  /** Events up to `upTo` (all when undefined), with the checks they are about. */
  private async derived(upTo?: number): Promise<Map<number, DerivedCommitment>> {
    const found = await this.db.all<EventRow & Pick<CheckRow, 'verdict' | 'promise' | 'result'>>(sql`
      SELECT e.check_id, e.kind, e.detail, c.verdict, c.promise, c.result FROM events e JOIN checks c ON c.id = e.check_id
      ${upTo === undefined ? sql`` : sql`WHERE e.id <= ${upTo}`} ORDER BY e.id`);
    const checks = new Map(found.map((r) => [r.check_id, r]));
    return deriveCommitments(found, (id) => checks.get(id)!);
  }

  liveCommitmentsAsOf(upTo: number, today: string): Promise<LiveCommitment[]> {
    return this.guard(
      async () => {
        const derived = await this.derived(upTo);
        const ids = [...derived.keys()];
        const rows = ids.length === 0 ? [] : await this.db.all<CheckRow>(sql`${SELECT_CHECKS} WHERE c.id IN (${sql.join(ids.map((id) => sql`${id}`))})`);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return liveAsOf(derived, today, (id) => byId.get(id)!);
      },
      { value: [] },
    );
  }

  holdsAsOf(upTo: number, today: string): Promise<Hold[]> {
    return this.guard(async () => holdingOn(await this.derived(upTo), today), { value: [] });
  }

  keptCapabilities(sha256: string): Promise<KeptCapabilities | undefined> {
    return this.guard(
      async () => {
        const [row] = await this.db.all<CapabilitiesRow>(sql`SELECT sha256, content, feeds FROM capabilities WHERE sha256 = ${sha256}`);
        return row && keptOf(row, await this.feedContents([row]));
      },
      { value: undefined },
    );
  }

  private async feedContents(kept: readonly CapabilitiesRow[]): Promise<Map<string, string>> {
    const hashes = feedHashes(kept);
    if (hashes.length === 0) return new Map();
    const found = await this.db.all<{ sha256: string; content: string }>(
      sql`SELECT sha256, content FROM feeds WHERE sha256 IN (${sql.join(hashes.map((h) => sql`${h}`))})`,
    );
    return new Map(found.map((f) => [f.sha256, f.content]));
  }

  allKeptCapabilities(): Promise<KeptCapabilities[]> {
    return this.guard(async () => {
      const kept = await this.db.all<CapabilitiesRow>(sql`SELECT sha256, content, feeds FROM capabilities ORDER BY sha256`);
      const contents = await this.feedContents(kept);
      return kept.map((r) => keptOf(r, contents));
    });
  }

  async *pages(table: CopiedTable, size: number): AsyncIterable<Record<string, unknown>[]> {
    const columns = table === 'delivered' ? DELIVERED_COLUMNS : CHAINED_COLUMNS[table];
    const order = table === 'delivered' ? 'check_id' : 'id';
    const all = sql`SELECT ${sql.columns(columns)} FROM ${sql.raw(table)} ORDER BY ${sql.raw(order)}`;
    try {
      for await (const page of this.db.stream(all, size)) yield page.map((values) => Object.fromEntries(columns.map((c, i) => [c, values[i]])));
    } catch (e) {
      throw this.dialect.failure(e);
    }
  }

  checkResults(ids: readonly number[]): Promise<Map<number, Pick<CheckRow, 'verdict' | 'promise' | 'result'>>> {
    return this.guard(async () => {
      if (ids.length === 0) return new Map();
      const found = await this.db.all<Pick<CheckRow, 'id' | 'verdict' | 'promise' | 'result'>>(
        sql`SELECT id, verdict, promise, result FROM checks WHERE id IN (${sql.join(ids.map((id) => sql`${id}`))})`,
      );
      return new Map(found.map(({ id, ...r }) => [id, r]));
    });
  }

  verify(): Promise<VerifyReport> {
    return this.guard(async () => {
      const tables: VerifyReport['tables'] = [];
      for (const table of ['checks', 'events'] as const) {
        const verifier = new ChainVerifier(table);
        const all = sql`SELECT ${sql.columns(CHAINED_COLUMNS[table])}, hash FROM ${sql.raw(table)} ORDER BY id`;
        for await (const batch of this.db.stream(all, 5000)) for (const values of batch) verifier.add(values);
        tables.push(verifier.finish(await this.head(table)));
      }
      const commitments = await this.db.all<CommitmentRow>(sql`SELECT ${sql.columns(COMMITMENT_COLUMNS)} FROM commitments ORDER BY check_id`);
      const holds = await this.db.all<HoldRow>(sql`SELECT check_id, location, sku, qty, day, source, protected, until_day AS until FROM holds`);
      tables.push({ table: 'commitments', rows: commitments.length, problems: compareDerived(await this.derived(), commitments, holds) });
      tables.push(await this.verifyTexts());
      return { tables, integrity: await this.dialect.integrity() };
    });
  }

  /** Every kept capabilities and feed text against the hash it is kept under: replay trusts them. */
  private async verifyTexts(): Promise<VerifyReport['tables'][number]> {
    const problems: LogProblem[] = [];
    let n = 0;
    const feedSha = new Map<string, string>();
    for await (const batch of this.db.stream(sql`SELECT sha256, content FROM feeds ORDER BY sha256`, 100)) {
      for (const [stored, content] of batch as [string, string][]) {
        n++;
        const actual = sha256(content);
        feedSha.set(stored, actual);
        if (actual !== stored)
          problems.push({ table: 'feeds', id: n, message: `text kept as ${stored.slice(0, 12)} was edited (it hashes to ${actual.slice(0, 12)})` });
      }
    }
    for await (const batch of this.db.stream(sql`SELECT sha256, content, feeds FROM capabilities ORDER BY sha256`, 100)) {
      for (const [stored, content, feeds] of batch as [string, string, string | null][]) {
        n++;
        const named = feeds === null ? [] : (JSON.parse(feeds) as { kind: string; sha256: string }[]);
        const actual = capabilitiesSha(sha256(content), named);
        if (actual !== stored)
          problems.push({ table: 'capabilities', id: n, message: `text kept as ${stored.slice(0, 12)} was edited (it hashes to ${actual.slice(0, 12)})` });
        for (const f of named) {
          if (!feedSha.has(f.sha256))
            problems.push({ table: 'feeds', id: n, message: `text ${f.sha256.slice(0, 12)} that capabilities ${stored.slice(0, 12)} draws on is missing` });
        }
      }
    }
    return { table: 'texts', rows: n, problems };
  }

  override heads(): Promise<Record<ChainedTable, Head>> {
    return this.guard(() => super.heads());
  }

  /** The recorded hash of a row, if the row is there. */
  rowHash(table: ChainedTable, id: number): Promise<string | undefined> {
    return this.guard(async () => (await this.db.all<{ hash: string }>(sql`SELECT hash FROM ${sql.raw(table)} WHERE id = ${id}`))[0]?.hash);
  }

  ownership(): Promise<LogOwnership | null> {
    return this.guard(() => this.dialect.ownership());
  }

  grant(statements: readonly string[]): Promise<void> {
    return this.guard(() =>
      this.dialect.transaction(async (tx) => {
        for (const s of statements) await tx.run(sql.raw(s));
      }),
    );
  }

  /** Stores a token's hash (SERVE.md); returns its id. */
  addToken(rep: string, scope: TokenScope, sha256: string): Promise<number> {
    return this.guard(async () => {
      const [row] = await this.dialect.transaction((tx) =>
        tx.all<{ id: number }>(
          sql`INSERT INTO tokens (rep, scope, hash, created_at) VALUES (${rep}, ${scope}, ${sha256}, ${new Date().toISOString()}) RETURNING id`,
        ),
      );
      return row!.id;
    });
  }

  listTokens(): Promise<TokenRow[]> {
    return this.guard(() => this.db.all<TokenRow>(sql`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY id`), { value: [] });
  }

  revokeToken(id: number): Promise<boolean> {
    return this.guard(
      async () =>
        (await this.dialect.transaction((tx) =>
          tx.run(sql`UPDATE tokens SET revoked_at = ${new Date().toISOString()} WHERE id = ${id} AND revoked_at IS NULL`),
        )) === 1,
    );
  }

  tokenByHash(sha256: string): Promise<TokenRow | undefined> {
    return this.guard(async () => (await this.db.all<TokenRow>(sql`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE hash = ${sha256} AND revoked_at IS NULL`))[0], {
      value: undefined,
    });
  }

  close(): Promise<void> {
    return this.dialect.close();
  }
}
