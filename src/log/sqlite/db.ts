// The SQLite log's schema and opening: WAL for concurrent readers and writers, a busy timeout so
// parallel processes wait instead of failing, migrations by user_version. Every
// failure to open or write becomes a log Failure (exit 4).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { logError } from '../../errors.js';
import { sqlite } from '../../sqlite.js';

export type Db = BetterSqlite3.Database;

const BUSY_TIMEOUT_MS = 30_000;

/** Each entry moves the schema one version up; never edit a shipped entry. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE capabilities (
    sha256 TEXT PRIMARY KEY,
    content TEXT NOT NULL
  );
  CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    now TEXT NOT NULL,
    rep TEXT NOT NULL,
    customer TEXT,
    kind TEXT NOT NULL,
    sku TEXT,
    region TEXT,
    qty INTEGER,
    by TEXT,
    service TEXT,
    promise TEXT NOT NULL,
    verdict TEXT NOT NULL,
    result TEXT NOT NULL,
    capabilities_path TEXT NOT NULL,
    capabilities_sha256 TEXT NOT NULL REFERENCES capabilities(sha256),
    tool_version TEXT NOT NULL,
    events_seen INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX checks_recorded_at ON checks(recorded_at);
  CREATE INDEX checks_sku ON checks(sku);
  CREATE INDEX checks_customer ON checks(customer);
  CREATE INDEX checks_rep ON checks(rep);
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    check_id INTEGER NOT NULL REFERENCES checks(id),
    kind TEXT NOT NULL CHECK (kind IN ('commit', 'release', 'outcome')),
    at TEXT NOT NULL,
    rep TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX events_check ON events(check_id);
  -- Derived from events, kept for fast reads: one row per committed check.
  CREATE TABLE commitments (
    check_id INTEGER PRIMARY KEY REFERENCES checks(id),
    alternative INTEGER,
    status TEXT NOT NULL CHECK (status IN ('open', 'released', 'met', 'missed')),
    committed_at TEXT NOT NULL,
    outcome_on TEXT,
    note TEXT
  );
  -- What open commitments hold: the demand side of ATP, indexed by sku.
  CREATE TABLE holds (
    check_id INTEGER NOT NULL REFERENCES checks(id),
    location TEXT NOT NULL,
    sku TEXT NOT NULL,
    qty INTEGER NOT NULL,
    day INTEGER NOT NULL,
    source TEXT NOT NULL
  );
  CREATE INDEX holds_sku ON holds(sku, location);
  CREATE INDEX holds_check ON holds(check_id);
  CREATE TABLE chain_heads (
    tbl TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL,
    hash TEXT NOT NULL
  );
  `,
  // ORDERS.md: how many units of a stock hold came out of the protected pool.
  'ALTER TABLE holds ADD COLUMN protected INTEGER;',
  // FOLLOW-UP.md: quotes that hold until a date and their confirmation, hand-off
  // notes, lateness. SQLite cannot alter a CHECK: the two tables are rebuilt.
  `
  CREATE TABLE events_v3 (
    id INTEGER PRIMARY KEY,
    check_id INTEGER NOT NULL REFERENCES checks(id),
    kind TEXT NOT NULL CHECK (kind IN ('commit', 'confirm', 'release', 'outcome')),
    at TEXT NOT NULL,
    rep TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  INSERT INTO events_v3 SELECT id, check_id, kind, at, rep, detail, prev_hash, hash FROM events;
  DROP TABLE events;
  ALTER TABLE events_v3 RENAME TO events;
  CREATE INDEX events_check ON events(check_id);
  CREATE TABLE commitments_v3 (
    check_id INTEGER PRIMARY KEY REFERENCES checks(id),
    alternative INTEGER,
    status TEXT NOT NULL CHECK (status IN ('open', 'held', 'released', 'met', 'missed')),
    committed_at TEXT NOT NULL,
    outcome_on TEXT,
    note TEXT,
    hold_until TEXT,
    handoff_note TEXT,
    late_workdays INTEGER
  );
  INSERT INTO commitments_v3 (check_id, alternative, status, committed_at, outcome_on, note)
    SELECT check_id, alternative, status, committed_at, outcome_on, note FROM commitments;
  DROP TABLE commitments;
  ALTER TABLE commitments_v3 RENAME TO commitments;
  ALTER TABLE holds ADD COLUMN until_day INTEGER;
  `,
  // FEEDS.md: the supply feeds capabilities draw on ([{kind, path, sha256}]), each content once per hash.
  `
  ALTER TABLE capabilities ADD COLUMN feeds TEXT;
  CREATE TABLE feeds (
    sha256 TEXT PRIMARY KEY,
    content TEXT NOT NULL
  );
  `,
  // LEARN.md: the order number a commitment was made under (unique among open ones),
  // and deliveries against their plans: one row each (declared: the days the plan
  // counted; late: workdays after its delivery day), and a histogram per factor of
  // the days it really took (declared + late) that every check reads whole at
  // start-up: small whatever the log's size.
  `
  ALTER TABLE commitments ADD COLUMN ref TEXT;
  CREATE INDEX commitments_ref ON commitments(ref);
  CREATE UNIQUE INDEX commitments_open_ref ON commitments(ref) WHERE ref IS NOT NULL AND status IN ('open', 'held');
  CREATE TABLE delivered (
    check_id INTEGER PRIMARY KEY REFERENCES checks(id),
    delivered_on TEXT NOT NULL,
    factor TEXT NOT NULL,
    key TEXT NOT NULL,
    declared INTEGER NOT NULL,
    late INTEGER NOT NULL
  );
  CREATE INDEX delivered_on ON delivered(delivered_on);
  CREATE TABLE lateness (
    factor TEXT NOT NULL,
    key TEXT NOT NULL,
    took INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (factor, key, took)
  );
  `,
];

/** Opens (creating and migrating) the log; read-only opens an existing file as it is. */
export function openDb(path: string, readonly: boolean): Db {
  try {
    if (readonly) {
      const db = new (sqlite())(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version === 0 || version >= MIGRATIONS.length) return db;
      // A log an older release wrote: bring its schema up to date (no check is recorded), then read.
      db.close();
      openDb(path, false).close();
      return new (sqlite())(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    }
    makeDirs(dirname(path));
    const db = new (sqlite())(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (e) {
    throw logFailure(path, e);
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

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current >= MIGRATIONS.length) return;
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

export function logFailure(path: string, e: unknown) {
  const err = e as { code?: string; message?: string };
  const why: Record<string, string> = {
    SQLITE_NOTADB: 'is not a promise log (not an SQLite database)',
    SQLITE_CORRUPT: 'is corrupt',
    SQLITE_FULL: 'cannot grow: the disk or size limit is full',
    SQLITE_READONLY: 'is read-only',
    SQLITE_CANTOPEN: 'cannot be opened (missing or read-only directory?)',
    SQLITE_BUSY: 'stayed locked by another process',
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
