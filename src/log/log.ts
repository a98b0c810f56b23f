// The log's interface: every command reads and writes the log through these
// functions only, so a second database is a second implementation of them, not
// a second set of commands. All SQL lives below this folder.
//
// Methods are async although SQLite answers synchronously: a server-backed log
// cannot, and one interface must serve both. Writes happen inside `write`, one
// transaction that also serializes commits against each other.
import { existsSync } from 'node:fs';
import type { CheckOutcome } from '../core/check.js';
import type { Hold } from '../core/commitments/ledger.js';
import { noLogThere } from '../errors.js';
import type { ChainedTable } from './chain.js';
import type { CommitTerms, DerivedCommitment } from './derive.js';
import type { OutcomeJson } from './outcomeJson.js';
import { isPostgresUrl, resolveConnection } from './postgres/connection.js';
import { SqliteLog } from './sqlite/sqliteLog.js';

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
  kind: 'delivery' | 'service';
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

/** What `stats` groups by, as SQL both databases read alike (month: of the check, in the company zone). */
export const STATS_DIMENSIONS = { sku: 'COALESCE(c.sku, c.service)', region: 'c.region', rep: 'c.rep', month: 'substr(c.now, 1, 7)' } as const;
export type StatsDimension = keyof typeof STATS_DIMENSIONS;

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

/** Lost demand, as SQL both databases read alike (one `?`: the earliest recorded_at). */
export const LOST_DEMAND = `
  SELECT c.sku AS sku, c.region AS region, COUNT(*) AS checks, SUM(c.qty) AS units
  FROM checks c LEFT JOIN commitments m ON m.check_id = c.id
  WHERE c.verdict = 'infeasible' AND m.check_id IS NULL AND c.kind IN ('delivery', 'order') AND c.recorded_at >= ?
  GROUP BY c.sku, c.region ORDER BY units DESC, c.sku, c.region`;

/** Demand the company turned away: infeasible checks never committed in any form. */
export interface LostDemand {
  sku: string;
  region: string;
  checks: number;
  units: number;
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

/** What can be read inside and outside a write transaction. */
export interface LogReader {
  /** Holds of open commitments and of quotes still holding on `today` (YYYY-MM-DD), all or of one sku: the demand side of ATP. */
  openHolds(today: string, sku?: string): Promise<Hold[]>;
  getCheck(id: number): Promise<CheckRow | undefined>;
  /** The id of the last commitment event: a writer that sees it move reloads its holds. */
  lastEventId(): Promise<number>;
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
export interface LogDump {
  capabilities: KeptCapabilities[];
  /** CHAINED_COLUMNS of each table by name, ascending by id (hashes are made anew where they land). */
  checks: Record<string, unknown>[];
  events: Record<string, unknown>[];
}

export interface LogWriter extends LogReader {
  /**
   * Serializes commits inside this transaction, before their holds are read:
   * commits of the same skus wait for each other ('all': a batch committing many).
   * SQLite's one write lock does this already; a server needs it said.
   */
  lockForCommit(skus: readonly string[] | 'all'): Promise<void>;
  /** Returns the new ids in order. */
  recordChecks(capabilities: CapabilitiesSource, checks: readonly CheckToRecord[]): Promise<number[]>;
  commit(checkId: number, alternative: number | null, holds: readonly Hold[], rep: string, terms?: CommitTerms): Promise<void>;
  /** Beside closeCommitment as met or missed: the delivery against its plan, kept for calibrate and evidence. */
  recordDelivered(row: DeliveredRow): Promise<void>;
  /** A held quote becomes a firm commitment. */
  confirm(checkId: number, rep: string): Promise<void>;
  closeCommitment(checkId: number, status: Closing, rep: string, detail: { on?: string; note?: string; lateWorkdays?: number }): Promise<void>;
  /** For `log copy`: rows from another log, re-chained after the ones here; their new ids in order. */
  appendRows(table: ChainedTable, rows: readonly Record<string, unknown>[]): Promise<number[]>;
  storeCapabilities(kept: KeptCapabilities): Promise<void>;
  /** For `log copy`: the derived rows of one commitment, as its events made it. */
  restoreCommitment(checkId: number, commitment: DerivedCommitment, committedAt: string): Promise<void>;
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
  /**
   * Lateness histograms per factor; `since` (a day YYYY-MM-DD) counts deliveries on or
   * after it only; `upToEvent` only those whose outcome event is at most that id (what a past check saw, for replay).
   */
  lateness(since?: string, upToEvent?: number): Promise<LatenessCount[]>;
  /** Open commitments and held quotes (expired ones too: statusOn tells), in the order they were made, with their checks. */
  openCommitments(): Promise<{ row: CheckRow; alternative: number | null }[]>;
  /** The holds open just after event `upTo` on `today`, rebuilt from events: what a check that saw `upTo` saw. */
  holdsAsOf(upTo: number, today: string): Promise<Hold[]>;
  keptCapabilities(sha256: string): Promise<KeptCapabilities | undefined>;
  dump(): Promise<LogDump>;
  verify(): Promise<VerifyReport>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Read-only commands must not create a log: a typo would otherwise look like an empty one. */
  mustExist?: boolean;
  /** Open only to read (--no-log): never create or migrate anything. */
  readonly?: boolean;
  /** libpq's variables for a PostgreSQL URL (PGHOST, PGPASSWORD, …). */
  env?: NodeJS.ProcessEnv;
}

const open = new Set<Log>();

/** A file path opens the SQLite log; a postgres:// URL the team log (its client is loaded only then). */
export async function openLog(target: string, opts: OpenOptions = {}): Promise<Log> {
  let log: Log;
  if (isPostgresUrl(target)) {
    const { PostgresLog } = await import('./postgres/postgresLog.js');
    const connection = resolveConnection(target, opts.env ?? process.env);
    log = await PostgresLog.open(connection, opts);
  } else {
    if ((opts.mustExist || opts.readonly) && !existsSync(target)) throw noLogThere(target);
    log = SqliteLog.open(target, opts.readonly === true);
  }
  open.add(log);
  return log;
}

/** Closes every log this process opened (a server connection would keep the process alive). */
export async function closeLogs(): Promise<void> {
  const logs = [...open];
  open.clear();
  await Promise.allSettled(logs.map((l) => l.close()));
}
