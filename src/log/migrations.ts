// The log's schema, written once for both databases. Each entry moves the schema
// one version up; never edit a shipped entry's effect. Where the two databases
// must differ it says so inline: ids (SQLite's INTEGER PRIMARY KEY is the rowid,
// PostgreSQL's ids are BIGINT), append-only triggers (PostgreSQL's roles make
// them mean something), and changing a CHECK (SQLite rebuilds the table).

import { GENESIS } from './chain.js';
import type { DialectKind } from './dialect.js';

type Migration = (db: DialectKind) => string;

/**
 * How many entries MIGRATIONS has: what a log opened today must be at. Kept apart so a
 * check that finds its log up to date loads none of the schema text (a test pins the two equal).
 */
export { SCHEMA_VERSION } from './schemaVersion.js';

const APPEND_ONLY_PG = `
  CREATE FUNCTION promise_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the promise log''s % table is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END $$;
  CREATE TRIGGER checks_append_only BEFORE UPDATE OR DELETE ON checks FOR EACH ROW EXECUTE FUNCTION promise_append_only();
  CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION promise_append_only();
  CREATE TRIGGER checks_no_truncate BEFORE TRUNCATE ON checks FOR EACH STATEMENT EXECUTE FUNCTION promise_append_only();
  CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION promise_append_only();`;

export const MIGRATIONS: readonly Migration[] = [
  (db) => {
    const id = db === 'sqlite' ? 'INTEGER' : 'BIGINT';
    return `
  CREATE TABLE capabilities (
    sha256 TEXT PRIMARY KEY,
    content TEXT NOT NULL
  );
  CREATE TABLE checks (
    id ${id} PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    now TEXT NOT NULL,
    rep TEXT NOT NULL,
    customer TEXT,
    kind TEXT NOT NULL,
    sku TEXT,
    region TEXT,
    qty INTEGER,
    "by" TEXT,
    service TEXT,
    promise TEXT NOT NULL,
    verdict TEXT NOT NULL,
    result TEXT NOT NULL,
    capabilities_path TEXT NOT NULL,
    capabilities_sha256 TEXT NOT NULL REFERENCES capabilities(sha256),
    tool_version TEXT NOT NULL,
    events_seen ${id} NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX checks_recorded_at ON checks(recorded_at);
  CREATE INDEX checks_sku ON checks(sku);
  CREATE INDEX checks_customer ON checks(customer);
  CREATE INDEX checks_rep ON checks(rep);
  CREATE TABLE events (
    id ${id} PRIMARY KEY,
    check_id ${id} NOT NULL REFERENCES checks(id),
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
    check_id ${id} PRIMARY KEY REFERENCES checks(id),
    alternative INTEGER,
    status TEXT NOT NULL CHECK (status IN ('open', 'released', 'met', 'missed')),
    committed_at TEXT NOT NULL,
    outcome_on TEXT,
    note TEXT
  );
  -- What open commitments hold: the demand side of ATP, indexed by sku.
  CREATE TABLE holds (
    check_id ${id} NOT NULL REFERENCES checks(id),
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
    last_id ${id} NOT NULL,
    hash TEXT NOT NULL
  );
  ${db === 'postgres' ? APPEND_ONLY_PG : ''}`;
  },
  // ORDERS.md: how many units of a stock hold came out of the protected pool.
  () => 'ALTER TABLE holds ADD COLUMN protected INTEGER;',
  // FOLLOW-UP.md: quotes that hold until a date and their confirmation, hand-off notes, lateness.
  (db) =>
    db === 'postgres'
      ? `
  ALTER TABLE events DROP CONSTRAINT events_kind_check;
  ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN ('commit', 'confirm', 'release', 'outcome'));
  ALTER TABLE commitments DROP CONSTRAINT commitments_status_check;
  ALTER TABLE commitments ADD CONSTRAINT commitments_status_check CHECK (status IN ('open', 'held', 'released', 'met', 'missed'));
  ALTER TABLE commitments ADD COLUMN hold_until TEXT, ADD COLUMN handoff_note TEXT, ADD COLUMN late_workdays INTEGER;
  ALTER TABLE holds ADD COLUMN until_day INTEGER;`
      : // SQLite cannot alter a CHECK: the two tables are rebuilt.
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
  ALTER TABLE holds ADD COLUMN until_day INTEGER;`,
  // FEEDS.md: the supply feeds capabilities draw on ([{kind, path, sha256}]), each content once per hash.
  () => `
  ALTER TABLE capabilities ADD COLUMN feeds TEXT;
  CREATE TABLE feeds (
    sha256 TEXT PRIMARY KEY,
    content TEXT NOT NULL
  );`,
  // TEAM.md, second round: both chain heads exist from the start, so a check reads
  // its holds and the events' position in one statement (exact replay), and a
  // writer locks the head row it appends after (PostgreSQL had them already).
  () =>
    ['checks', 'events']
      .map(
        (t) => `
  INSERT INTO chain_heads (tbl, last_id, hash) SELECT '${t}', 0, '${GENESIS}' WHERE NOT EXISTS (SELECT 1 FROM chain_heads WHERE tbl = '${t}');`,
      )
      .join(''),
  // COMMITMENTS.md: recheck --apply moves a commitment's holds ('replan' events); its parts as re-planned beside it.
  (db) =>
    db === 'postgres'
      ? `
  ALTER TABLE events DROP CONSTRAINT events_kind_check;
  ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN ('commit', 'confirm', 'release', 'outcome', 'replan'));
  ALTER TABLE commitments ADD COLUMN parts TEXT;`
      : // SQLite cannot alter a CHECK: the events table is rebuilt.
        `
  CREATE TABLE events_v6 (
    id INTEGER PRIMARY KEY,
    check_id INTEGER NOT NULL REFERENCES checks(id),
    kind TEXT NOT NULL CHECK (kind IN ('commit', 'confirm', 'release', 'outcome', 'replan')),
    at TEXT NOT NULL,
    rep TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  INSERT INTO events_v6 SELECT id, check_id, kind, at, rep, detail, prev_hash, hash FROM events;
  DROP TABLE events;
  ALTER TABLE events_v6 RENAME TO events;
  CREATE INDEX events_check ON events(check_id);
  ALTER TABLE commitments ADD COLUMN parts TEXT;`,
  // SERVE.md: API tokens, only their SHA-256 stored; revoked ones kept (who had access, when).
  (db) => `
  CREATE TABLE tokens (
    id ${db === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGSERIAL PRIMARY KEY'},
    rep TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'check', 'commit')),
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );`,
  // LEARN.md: the order number a commitment was made under (unique among open ones),
  // and deliveries against their plans: one row each (declared: the days the plan
  // counted; late: workdays after its delivery day), and a histogram per factor of
  // the days it really took (declared + late) that every check reads whole at
  // start-up: small whatever the log's size.
  (db) => `
  ALTER TABLE commitments ADD COLUMN ref TEXT;
  CREATE INDEX commitments_ref ON commitments(ref);
  CREATE UNIQUE INDEX commitments_open_ref ON commitments(ref) WHERE ref IS NOT NULL AND status IN ('open', 'held');
  CREATE TABLE delivered (
    check_id ${db === 'sqlite' ? 'INTEGER' : 'BIGINT'} PRIMARY KEY REFERENCES checks(id),
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
  );`,
];
