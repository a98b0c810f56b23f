// The team log's schema on PostgreSQL: the same tables as the SQLite log, and
// the database itself refusing UPDATE, DELETE and TRUNCATE on the append-only
// tables. Migrations run under a transaction-level advisory lock, so two reps
// starting at once against an empty database neither both migrate nor fail.
import { GENESIS } from '../chain.js';

/** Any constant works; it only has to be the same for every process of this tool. */
export const MIGRATION_LOCK = 7_302_514_001;

/** Each entry moves the schema one version up; never edit a shipped entry. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE capabilities (
    sha256 TEXT PRIMARY KEY,
    content TEXT NOT NULL
  );
  CREATE TABLE checks (
    id BIGINT PRIMARY KEY,
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
    events_seen BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX checks_recorded_at ON checks(recorded_at);
  CREATE INDEX checks_sku ON checks(sku);
  CREATE INDEX checks_customer ON checks(customer);
  CREATE INDEX checks_rep ON checks(rep);
  CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    check_id BIGINT NOT NULL REFERENCES checks(id),
    kind TEXT NOT NULL CHECK (kind IN ('commit', 'release', 'outcome')),
    at TEXT NOT NULL,
    rep TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX events_check ON events(check_id);
  CREATE TABLE commitments (
    check_id BIGINT PRIMARY KEY REFERENCES checks(id),
    alternative INTEGER,
    status TEXT NOT NULL CHECK (status IN ('open', 'released', 'met', 'missed')),
    committed_at TEXT NOT NULL,
    outcome_on TEXT,
    note TEXT
  );
  CREATE TABLE holds (
    check_id BIGINT NOT NULL REFERENCES checks(id),
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
    last_id BIGINT NOT NULL,
    hash TEXT NOT NULL
  );
  INSERT INTO chain_heads VALUES ('checks', 0, '${GENESIS}'), ('events', 0, '${GENESIS}');
  CREATE FUNCTION promise_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the promise log''s % table is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END $$;
  CREATE TRIGGER checks_append_only BEFORE UPDATE OR DELETE ON checks FOR EACH ROW EXECUTE FUNCTION promise_append_only();
  CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION promise_append_only();
  CREATE TRIGGER checks_no_truncate BEFORE TRUNCATE ON checks FOR EACH STATEMENT EXECUTE FUNCTION promise_append_only();
  CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION promise_append_only();
  `,
  // ORDERS.md: how many units of a stock hold came out of the protected pool.
  'ALTER TABLE holds ADD COLUMN protected INTEGER;',
  // FOLLOW-UP.md: quotes that hold until a date and their confirmation, hand-off notes, lateness.
  `
  ALTER TABLE events DROP CONSTRAINT events_kind_check;
  ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN ('commit', 'confirm', 'release', 'outcome'));
  ALTER TABLE commitments DROP CONSTRAINT commitments_status_check;
  ALTER TABLE commitments ADD CONSTRAINT commitments_status_check CHECK (status IN ('open', 'held', 'released', 'met', 'missed'));
  ALTER TABLE commitments ADD COLUMN hold_until TEXT, ADD COLUMN handoff_note TEXT, ADD COLUMN late_workdays INTEGER;
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
    check_id BIGINT PRIMARY KEY REFERENCES checks(id),
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
