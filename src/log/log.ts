// The log's interface: every command reads and writes the log through these
// functions only, so a second database is a second implementation of them, not
// a second set of commands. All SQL lives below this folder.
//
// Methods are async although SQLite answers synchronously: a server-backed log
// cannot, and one interface must serve both. Writes happen inside `write`, one
// transaction that also serializes commits against each other. One
// implementation (store.ts) serves both databases through a dialect each.
import { existsSync } from 'node:fs';
import type { CheckOutcome } from '../core/checkPromise.js';
import type { Hold } from '../core/commitments/ledger.js';
import type { SalesPromise } from '../core/promise.js';
import { noLogThere } from '../errors.js';
import type { ChainedTable, Head } from './chain.js';
import type { CommitTerms } from './derive.js';
import { type Dialect, lockTimeoutSeconds, newerSchema } from './dialect.js';
import type { OutcomeJson } from './outcomeJson.js';
import type { LogOwnership } from './postgres/grants.js';
import { SCHEMA_VERSION } from './schemaVersion.js';
import { SqliteDialect } from './sqlite/sqliteDialect.js';
import { Store } from './store.js';

/** 'held': a quote still holding; 'expired': a quote past its date (computed from now, never stored). */
export type Status = 'checked' | 'held' | 'expired' | 'open' | 'released' | 'met' | 'missed';
export const STATUSES: readonly Status[] = ['checked', 'held', 'expired', 'open', 'released', 'met', 'missed'];
export type Closing = 'released' | 'met' | 'missed';

export interface CheckToRecord {
  outcome: CheckOutcome;
  json: OutcomeJson;
  now: string;
  rep: string;
  customer: string | null;
  /** The last commitment event the check's holds included (HoldsSnapshot.seen): what replay rebuilds. */
  eventsSeen: number;
}

/** Open holds and the last commitment event they include, read in one snapshot. */
export interface HoldsSnapshot {
  holds: Hold[];
  seen: number;
}

/** A supply feed the capabilities drew on (FEEDS.md); its content is read only when the log lacks it. */
export interface KeptFeed {
  kind: string;
  path: string;
  sha256: string;
  content: () => string;
}

/** Capabilities as a log keeps them: the YAML once per hash, each feed once per its own hash. */
export interface KeptCapabilities {
  sha256: string;
  content: string;
  feeds: KeptFeed[];
}

/** The capabilities a check was made on, with the path later commands find the file at. */
export interface CapabilitiesSource extends KeptCapabilities {
  path: string;
}

export interface CheckRow {
  id: number;
  recorded_at: string;
  now: string;
  rep: string;
  customer: string | null;
  /** An order is recorded as one row of kind 'order' (its lines in the promise JSON). */
  kind: SalesPromise['kind'];
  sku: string | null;
  region: string | null;
  qty: number | null;
  by: string | null;
  service: string | null;
  promise: string;
  verdict: CheckOutcome['verdict'];
  result: string;
  capabilities_path: string;
  capabilities_sha256: string;
  tool_version: string;
  events_seen: number;
  /** As stored: a quote past its date still reads 'held' here (statusOn() tells 'expired'). */
  status: Status;
  alternative: number | null;
  hold_until: string | null;
  handoff_note: string | null;
  late_workdays: number | null;
  committed_at: string | null;
  /** The CRM or ERP order number it was committed under. */
  ref: string | null;
}

/** The status as of a day: a held quote whose date has passed is expired. */
export const statusOn = (row: Pick<CheckRow, 'status' | 'hold_until'>, today: string): Status =>
  row.status === 'held' && row.hold_until !== null && row.hold_until < today ? 'expired' : row.status;

export interface CheckFilter {
  since?: string | undefined;
  sku?: string | undefined;
  customer?: string | undefined;
  rep?: string | undefined;
  verdict?: string | undefined;
  status?: string | undefined;
  limit: number;
  /** Today in the company zone: tells held quotes from expired ones. */
  today: string;
}

/** What `stats` can group by (month: of the check, in the company zone). */
export const STATS_DIMENSIONS = ['sku', 'region', 'rep', 'month'] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

export interface StatsGroup {
  by: StatsDimension;
  group: string | null;
  checks: number;
  at_risk: number;
  infeasible: number;
  committed: number;
  met: number;
  missed: number;
  /** Over the outcomes recorded with a date: workdays after the promised date (null: none). */
  avg_late: number | null;
  worst_late: number | null;
}

/** An event of a commitment as the hand-off reads it. */
export interface CommitmentEvent {
  check_id: number;
  kind: string;
  /** ISO 8601 UTC, when it was recorded. */
  at: string;
}

/** Demand the company turned away: infeasible checks never committed in any form. */
export interface LostDemand {
  sku: string;
  region: string;
  checks: number;
  units: number;
}

/** Who may use `promise serve` and how much (SERVE.md): read < check < commit. */
export type TokenScope = 'read' | 'check' | 'commit';
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'check', 'commit'];

/** An API token as the log keeps it: only the SHA-256 of the secret. */
export interface TokenRow {
  id: number;
  rep: string;
  scope: TokenScope;
  created_at: string;
  revoked_at: string | null;
}

export interface LogProblem {
  table: string;
  id: number;
  message: string;
}

export interface VerifyReport {
  tables: { table: string; rows: number; problems: LogProblem[] }[];
  /** The database's own consistency check ("ok" when sound). */
  integrity: string;
}

/** An open commitment or a quote still holding, as it stands now (COMMITMENTS.md). */
export interface LiveCommitment {
  row: CheckRow;
  /** What it holds now (after any re-plan). */
  holds: Hold[];
  /** Its parts as last re-planned (JSON [{promise, plan}]), or null: as committed. */
  parts: string | null;
}

/** What can be read inside and outside a write transaction. */
export interface LogReader {
  /**
   * What open commitments and quotes still holding on `today` (YYYY-MM-DD) hold, all or of some skus: the
   * demand side of ATP, summed per location, sku, day and source (a ledger needs no more).
   */
  openHolds(today: string, skus?: readonly string[]): Promise<HoldsSnapshot>;
  /**
   * Open commitments and quotes still holding on `today`, in the order they were
   * made, with their holds; with `skus`, only those holding any of them.
   */
  liveCommitments(today: string, skus?: readonly string[]): Promise<LiveCommitment[]>;
  getCheck(id: number): Promise<CheckRow | undefined>;
  /** The id of the last commitment event: a writer that sees it move reloads its holds. */
  lastEventId(): Promise<number>;
  /**
   * Lateness histograms per factor; `since` (a day YYYY-MM-DD) counts deliveries on or
   * after it only; `upToEvent` only those whose outcome event is at most that id (what a past check saw, for replay).
   */
  lateness(since?: string, upToEvent?: number): Promise<LatenessCount[]>;
  /** The check committed under an order number: the open (or held) one, else the latest closed one. */
  checkByRef(ref: string): Promise<number | undefined>;
}

/**
 * One delivered commitment against its plan (LEARN.md): the derived rows
 * calibrate and every check's evidence read. `declared`: the workdays the plan
 * counted for the factor it is charged to; `late`: workdays after the plan's
 * delivery day (negative: early). See src/core/learn/lateness.ts.
 */
export interface DeliveredRow {
  check_id: number;
  delivered_on: string;
  factor: string;
  key: string;
  declared: number;
  late: number;
}

/** How many outcomes of one factor took `took` workdays (declared + late): a histogram, small whatever the log's size. */
export interface LatenessCount {
  factor: string;
  key: string;
  took: number;
  n: number;
}

/** Everything a log holds that is not derived: what `log copy` moves, in order. */
/** What `log copy` reads a page at a time: the chained tables (CHAINED_COLUMNS by name), and deliveries against their plans. */
export type CopiedTable = ChainedTable | 'delivered';

export interface LogWriter extends LogReader {
  /**
   * Serializes commits inside this transaction, before their holds are read:
   * commits of the same skus wait for each other ('all': a batch committing many).
   * SQLite's one write lock does this already; a server needs it said.
   */
  lockForCommit(skus: readonly string[] | 'all'): Promise<void>;
  /** Locks the events' head for the rest of the transaction (no one else appends an event) and returns its id. */
  lockEvents(): Promise<number>;
  /** Returns the new ids in order. */
  recordChecks(capabilities: CapabilitiesSource, checks: readonly CheckToRecord[]): Promise<number[]>;
  /**
   * recordChecks in two steps: the chain is locked and the text looked up now, the
   * rows given later. On a team log the first step goes out with the reads sent
   * before the rows are known: a check's read, check and write cost two round trips.
   */
  startRecording(capabilities: CapabilitiesSource): { record(checks: readonly CheckToRecord[]): Promise<number[]> };
  /** The database derives what it holds from the check's recorded result (migration 9). */
  commit(checkId: number, alternative: number | null, rep: string, terms?: CommitTerms): Promise<void>;
  /** COMMITMENTS.md: an open commitment's holds move to a new plan (a 'replan' event). */
  replan(checkId: number, holds: readonly Hold[], parts: readonly unknown[], rep: string): Promise<void>;
  /** Beside closeCommitment as met or missed: the delivery against its plan, kept for calibrate and evidence. */
  recordDelivered(row: DeliveredRow): Promise<void>;
  /** For `log copy`: the ids of the last check and the last event, where copied rows go after. */
  heads(): Promise<Record<ChainedTable, Head>>;
  /** A held quote becomes a firm commitment. */
  confirm(checkId: number, rep: string): Promise<void>;
  closeCommitment(checkId: number, status: Closing, rep: string, detail: { on?: string; note?: string; lateWorkdays?: number }): Promise<void>;
  /** For `log copy`: rows from another log, re-chained after the ones here; their new ids in order. */
  appendRows(table: ChainedTable, rows: readonly Record<string, unknown>[]): Promise<number[]>;
  storeCapabilities(kept: KeptCapabilities): Promise<void>;
  countChecks(): Promise<number>;
}

export interface Log extends LogReader {
  /** How messages name this log (a path; never a password). */
  readonly name: string;
  /** Runs fn in one write transaction; a failure to write is a log Failure (exit 4). */
  write<T>(fn: (tx: LogWriter) => Promise<T>): Promise<T>;
  listChecks(filter: CheckFilter): Promise<CheckRow[]>;
  stats(since: string | undefined, dimensions: readonly StatsDimension[]): Promise<StatsGroup[]>;
  lostDemand(since: string | undefined): Promise<LostDemand[]>;
  /** Open commitments and held quotes (expired ones too: statusOn tells), in the order they were made, with their checks. */
  openCommitments(): Promise<{ row: CheckRow; alternative: number | null }[]>;
  /** Every event of the open commitments and held quotes, in order (what changed them, and when: ICS SEQUENCE and LAST-MODIFIED). */
  openCommitmentEvents(): Promise<CommitmentEvent[]>;
  /** liveCommitments as they stood just after event `upTo`, rebuilt from events (for replay). */
  liveCommitmentsAsOf(upTo: number, today: string): Promise<LiveCommitment[]>;
  /** The holds open just after event `upTo` on `today`, rebuilt from events: what a check that saw `upTo` saw. */
  holdsAsOf(upTo: number, today: string): Promise<Hold[]>;
  keptCapabilities(sha256: string): Promise<KeptCapabilities | undefined>;
  /** Every kept capabilities text with its feeds (what `log copy` brings first). */
  allKeptCapabilities(): Promise<KeptCapabilities[]>;
  /** A table's rows in id order, `size` at a time: a log of any size is copied in little memory. */
  pages(table: CopiedTable, size: number): AsyncIterable<Record<string, unknown>[]>;
  /** What the derivation of commitments needs of some checks. */
  checkResults(ids: readonly number[]): Promise<Map<number, Pick<CheckRow, 'verdict' | 'promise' | 'result'>>>;
  verify(): Promise<VerifyReport>;
  /** The last row of each chain: what `log head` publishes. */
  heads(): Promise<Record<ChainedTable, Head>>;
  /** The recorded hash of a row, if the row is there (`log verify --head`). */
  rowHash(table: ChainedTable, id: number): Promise<string | undefined>;
  /** Where a team log's tables are and who owns them; null for a SQLite file (no roles). */
  ownership(): Promise<LogOwnership | null>;
  /** Runs `promise log grant`'s statements in one transaction. */
  grant(statements: readonly string[]): Promise<void>;
  /** Stores a token's hash; returns its id. */
  addToken(rep: string, scope: TokenScope, sha256: string): Promise<number>;
  listTokens(): Promise<TokenRow[]>;
  /** False when there is no such live token. */
  revokeToken(id: number): Promise<boolean>;
  /** The live (not revoked) token with this hash. */
  tokenByHash(sha256: string): Promise<TokenRow | undefined>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Read-only commands must not create a log: a typo would otherwise look like an empty one. */
  mustExist?: boolean;
  /** Open only to read (--no-log): never create or migrate anything. */
  readonly?: boolean;
  /** libpq's variables for a PostgreSQL URL (PGHOST, PGPASSWORD, …). */
  env?: NodeJS.ProcessEnv;
  /** Given up: a team log's connection still logging in is dropped (an open asked for early, then not needed). */
  signal?: AbortSignal;
  /** A server's connection, open for days: its memory must not grow with the log (SqliteDialect.open). */
  longRunning?: boolean;
  /** A SQLite log's WAL checkpoints are another thread's (the log's writer thread's checkpointer). */
  checkpointsElsewhere?: boolean;
}

const open = new Set<Log>();

/** A postgres:// or postgresql:// URL names the team log; anything else is a SQLite file. */
export const isPostgresUrl = (target: string): boolean => /^postgres(ql)?:\/\//i.test(target);

/** A file path opens the SQLite log; a postgres:// URL the team log (its client is loaded only then). */
export async function openLog(target: string, opts: OpenOptions = {}): Promise<Log> {
  const env = opts.env ?? process.env;
  const lockTimeout = lockTimeoutSeconds(env);
  let dialect: Dialect;
  const { readonly, longRunning, checkpointsElsewhere } = opts;
  const sqliteOpen = { readonly, longRunning, checkpointsElsewhere, lockTimeoutMs: lockTimeout * 1000 };
  if (isPostgresUrl(target)) {
    // The URL's parser and the client load only for a team log.
    const [{ resolveConnection }, { PostgresDialect }] = await Promise.all([import('./postgres/connection.js'), import('./postgres/postgresDialect.js')]);
    const connection = resolveConnection(target, env);
    dialect = await PostgresDialect.open(connection, lockTimeout, opts.signal);
  } else {
    if ((opts.mustExist || opts.readonly) && !existsSync(target)) throw noLogThere(target);
    dialect = SqliteDialect.open(target, sqliteOpen);
  }
  let store = new Store(dialect);
  try {
    let version = await store.schemaVersion();
    if (version === null && dialect.kind === 'postgres' && (opts.mustExist || opts.readonly)) throw noLogThere(target);
    if (opts.readonly && dialect.kind === 'sqlite' && version !== null && version < SCHEMA_VERSION) {
      // A SQLite log an older release wrote, opened to read (--no-log): its schema is brought up to
      // date first (no check is recorded), then it is opened to read again. Only then: a check opens
      // the log once, not once to learn its version and once to read it.
      await dialect.close();
      await migrated(target, version, lockTimeout);
      dialect = SqliteDialect.open(target, { ...sqliteOpen, readonly: true });
      store = new Store(dialect);
      version = await store.schemaVersion();
    }
    if (!opts.readonly) await store.migrate(version);
    else if (version !== null && version > SCHEMA_VERSION) throw newerSchema(store.name, version, SCHEMA_VERSION);
  } catch (e) {
    await dialect.close().catch(() => {});
    throw dialect.failure(e);
  }
  open.add(store);
  return store;
}

/** Brings an older SQLite log's schema up to date, through a connection of its own that may write. */
async function migrated(path: string, version: number, lockTimeout: number): Promise<void> {
  const writer = new Store(SqliteDialect.open(path, { lockTimeoutMs: lockTimeout * 1000 }));
  try {
    await writer.migrate(version);
  } finally {
    await writer.close();
  }
}

/** Closes every log this process opened (a server connection would keep the process alive). */
export async function closeLogs(): Promise<void> {
  const logs = [...open];
  open.clear();
  await Promise.allSettled(logs.map((l) => l.close()));
}
