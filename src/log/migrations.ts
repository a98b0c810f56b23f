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

/**
 * Migration 9, PostgreSQL (TEAM.md "Least privilege"): the tables derived from the
 * chains are written by the database itself, so a rep's role needs no write on them.
 * The tool appends checks and events; these SECURITY DEFINER triggers (they run as
 * the owner) move the chain heads, turn each event into its commitment and holds as
 * derive.ts does (verify compares the two), and count deliveries into lateness. Texts
 * are kept only under their own hash, and a role other than the owner's records as
 * itself. Refusals are SQLSTATE PR001 with the message the tool shows.
 */
const DERIVED_BY_DATABASE_PG = `
  CREATE FUNCTION promise_day(iso TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$ SELECT (iso::date - DATE '1970-01-01') $$;

  CREATE FUNCTION promise_records_as_itself() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE other TEXT;
  BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN RETURN NULL; END IF;
    SELECT rep INTO other FROM appended WHERE rep <> current_user LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'role % records % as itself, not as %', current_user, TG_TABLE_NAME, other USING ERRCODE = 'PR001';
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER checks_records_as_itself AFTER INSERT ON checks REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION promise_records_as_itself();
  CREATE TRIGGER events_records_as_itself AFTER INSERT ON events REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION promise_records_as_itself();

  CREATE FUNCTION promise_checks_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
  BEGIN
    UPDATE chain_heads h SET last_id = a.id, hash = a.hash
      FROM (SELECT id, hash FROM appended ORDER BY id DESC LIMIT 1) a WHERE h.tbl = 'checks' AND a.id > h.last_id;
    RETURN NULL;
  END $$;
  CREATE TRIGGER checks_head AFTER INSERT ON checks REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION promise_checks_head();

  CREATE FUNCTION promise_event_applied() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
  DECLARE
    d JSON := NEW.detail::json;
    alt INTEGER := (d->>'alternative')::int;
    status_was TEXT;
    until_was TEXT;
    result JSON;
  BEGIN
    UPDATE chain_heads SET last_id = NEW.id, hash = NEW.hash WHERE tbl = 'events' AND last_id < NEW.id;
    SELECT status, hold_until INTO status_was, until_was FROM commitments WHERE check_id = NEW.check_id FOR UPDATE;
    IF NEW.kind = 'commit' THEN
      IF status_was IS NOT NULL THEN RAISE EXCEPTION 'check % is already committed', NEW.check_id USING ERRCODE = 'PR001'; END IF;
      INSERT INTO commitments (check_id, alternative, status, committed_at, hold_until, handoff_note, ref)
        VALUES (NEW.check_id, alt, CASE WHEN d->>'hold_until' IS NULL THEN 'open' ELSE 'held' END, NEW.at,
                d->>'hold_until', d->>'handoff_note', d->>'ref')
        ON CONFLICT (check_id) DO NOTHING;
      IF NOT FOUND THEN RAISE EXCEPTION 'check % is already committed', NEW.check_id USING ERRCODE = 'PR001'; END IF;
      SELECT c.result::json INTO result FROM checks c WHERE c.id = NEW.check_id;
      INSERT INTO holds (check_id, location, sku, qty, day, source, protected, until_day)
        SELECT NEW.check_id, h->>'location', h->>'sku', (h->>'qty')::int, (h->>'day')::int, h->>'source', (h->>'protected')::int,
               promise_day(d->>'hold_until')
        FROM json_array_elements(COALESCE(CASE WHEN alt IS NULL THEN NULL ELSE result->'alternative_holds'->(alt - 1) END, result->'holds')) h;
      RETURN NULL;
    END IF;
    IF status_was IS NULL THEN RAISE EXCEPTION 'check % is not committed', NEW.check_id USING ERRCODE = 'PR001'; END IF;
    IF NEW.kind = 'confirm' THEN
      IF status_was <> 'held' THEN RAISE EXCEPTION 'check % is not a held quote (any more)', NEW.check_id USING ERRCODE = 'PR001'; END IF;
      UPDATE commitments SET status = 'open', hold_until = NULL WHERE check_id = NEW.check_id;
      UPDATE holds SET until_day = NULL WHERE check_id = NEW.check_id;
      RETURN NULL;
    END IF;
    IF status_was NOT IN ('open', 'held') THEN RAISE EXCEPTION 'check % is already %', NEW.check_id, status_was USING ERRCODE = 'PR001'; END IF;
    DELETE FROM holds WHERE check_id = NEW.check_id;
    IF NEW.kind = 'replan' THEN
      UPDATE commitments SET parts = COALESCE((d->'parts')::text, '[]') WHERE check_id = NEW.check_id;
      INSERT INTO holds (check_id, location, sku, qty, day, source, protected, until_day)
        SELECT NEW.check_id, h->>'location', h->>'sku', (h->>'qty')::int, promise_day(h->>'day'), h->>'source', (h->>'protected')::int,
               promise_day(until_was)
        FROM json_array_elements(COALESCE(d->'holds', '[]'::json)) h;
    ELSE
      UPDATE commitments SET status = CASE WHEN NEW.kind = 'release' THEN 'released' WHEN (d->>'met')::boolean THEN 'met' ELSE 'missed' END,
        outcome_on = d->>'on', note = d->>'note', late_workdays = (d->>'late_workdays')::int
        WHERE check_id = NEW.check_id;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER events_applied AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION promise_event_applied();

  CREATE FUNCTION promise_delivered_counted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
  BEGIN
    INSERT INTO lateness (factor, key, took, n) VALUES (NEW.factor, NEW.key, NEW.declared + NEW.late, 1)
      ON CONFLICT (factor, key, took) DO UPDATE SET n = lateness.n + 1;
    RETURN NULL;
  END $$;
  CREATE TRIGGER delivered_counted AFTER INSERT ON delivered FOR EACH ROW EXECUTE FUNCTION promise_delivered_counted();

  -- A text is kept only under its own hash (src/hash.ts): a forged one cannot make replay lie.
  CREATE FUNCTION promise_sha256(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$ SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex') $$;
  CREATE FUNCTION promise_text_hashed() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE want TEXT := promise_sha256(NEW.content);
  BEGIN
    IF TG_TABLE_NAME = 'capabilities' AND NEW.feeds IS NOT NULL THEN
      SELECT promise_sha256(array_to_string(ARRAY['promise capabilities with feeds', want]
               || ARRAY(SELECT (f->>'kind') || ' ' || (f->>'sha256') FROM json_array_elements(NEW.feeds::json) WITH ORDINALITY AS x(f, i) ORDER BY i), E'\\n'))
        INTO want;
    END IF;
    IF want <> NEW.sha256 THEN
      RAISE EXCEPTION 'a % text kept as % hashes to %', TG_TABLE_NAME, left(NEW.sha256, 12), left(want, 12) USING ERRCODE = 'PR001';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER capabilities_hashed BEFORE INSERT ON capabilities FOR EACH ROW EXECUTE FUNCTION promise_text_hashed();
  CREATE TRIGGER feeds_hashed BEFORE INSERT ON feeds FOR EACH ROW EXECUTE FUNCTION promise_text_hashed();
  CREATE TRIGGER capabilities_kept BEFORE UPDATE OR DELETE ON capabilities FOR EACH ROW EXECUTE FUNCTION promise_append_only();
  CREATE TRIGGER feeds_kept BEFORE UPDATE OR DELETE ON feeds FOR EACH ROW EXECUTE FUNCTION promise_append_only();`;

/**
 * Migration 9, SQLite: the same derivations as triggers, so the store writes the
 * chains alone on both logs. A file has no roles; its refusals are RAISE(ABORT)
 * with a "promise: " message. (The store checks first, with the check's id in the
 * message; these only stop what got past it.)
 */
const DAY = (iso: string) => `CAST(julianday(${iso}) - 2440587.5 AS INTEGER)`;
const DERIVED_BY_DATABASE_SQLITE = `
  CREATE TRIGGER checks_head AFTER INSERT ON checks BEGIN
    UPDATE chain_heads SET last_id = NEW.id, hash = NEW.hash WHERE tbl = 'checks' AND last_id < NEW.id;
  END;
  CREATE TRIGGER events_head AFTER INSERT ON events BEGIN
    UPDATE chain_heads SET last_id = NEW.id, hash = NEW.hash WHERE tbl = 'events' AND last_id < NEW.id;
  END;
  CREATE TRIGGER events_commit AFTER INSERT ON events WHEN NEW.kind = 'commit' BEGIN
    SELECT RAISE(ABORT, 'promise: the check is already committed') FROM commitments WHERE check_id = NEW.check_id;
    INSERT INTO commitments (check_id, alternative, status, committed_at, hold_until, handoff_note, ref)
      VALUES (NEW.check_id, json_extract(NEW.detail, '$.alternative'),
              CASE WHEN json_extract(NEW.detail, '$.hold_until') IS NULL THEN 'open' ELSE 'held' END, NEW.at,
              json_extract(NEW.detail, '$.hold_until'), json_extract(NEW.detail, '$.handoff_note'), json_extract(NEW.detail, '$.ref'));
    INSERT INTO holds (check_id, location, sku, qty, day, source, protected, until_day)
      SELECT NEW.check_id, json_extract(h.value, '$.location'), json_extract(h.value, '$.sku'), json_extract(h.value, '$.qty'),
             json_extract(h.value, '$.day'), json_extract(h.value, '$.source'), json_extract(h.value, '$.protected'),
             ${DAY("json_extract(NEW.detail, '$.hold_until')")}
      FROM checks c, json_each(COALESCE(json_extract(c.result, '$.alternative_holds[' || (json_extract(NEW.detail, '$.alternative') - 1) || ']'),
                                        json_extract(c.result, '$.holds'))) h
      WHERE c.id = NEW.check_id;
  END;
  CREATE TRIGGER events_change AFTER INSERT ON events WHEN NEW.kind <> 'commit' BEGIN
    SELECT RAISE(ABORT, 'promise: the check is not an open commitment (any more)')
      WHERE NOT EXISTS (SELECT 1 FROM commitments WHERE check_id = NEW.check_id AND status IN ('open', 'held'));
    SELECT RAISE(ABORT, 'promise: the check is not a held quote (any more)')
      WHERE NEW.kind = 'confirm' AND NOT EXISTS (SELECT 1 FROM commitments WHERE check_id = NEW.check_id AND status = 'held');
    UPDATE holds SET until_day = NULL WHERE NEW.kind = 'confirm' AND check_id = NEW.check_id;
    UPDATE commitments SET status = 'open', hold_until = NULL WHERE NEW.kind = 'confirm' AND check_id = NEW.check_id;
    DELETE FROM holds WHERE NEW.kind IN ('release', 'outcome', 'replan') AND check_id = NEW.check_id;
    INSERT INTO holds (check_id, location, sku, qty, day, source, protected, until_day)
      SELECT NEW.check_id, json_extract(h.value, '$.location'), json_extract(h.value, '$.sku'), json_extract(h.value, '$.qty'),
             ${DAY("json_extract(h.value, '$.day')")}, json_extract(h.value, '$.source'), json_extract(h.value, '$.protected'),
             (SELECT ${DAY('hold_until')} FROM commitments WHERE check_id = NEW.check_id)
      FROM json_each(NEW.detail, '$.holds') h WHERE NEW.kind = 'replan';
    UPDATE commitments SET parts = COALESCE(json_extract(NEW.detail, '$.parts'), '[]') WHERE NEW.kind = 'replan' AND check_id = NEW.check_id;
    UPDATE commitments SET
        status = CASE WHEN NEW.kind = 'release' THEN 'released' WHEN json_extract(NEW.detail, '$.met') THEN 'met' ELSE 'missed' END,
        outcome_on = json_extract(NEW.detail, '$.on'), note = json_extract(NEW.detail, '$.note'),
        late_workdays = json_extract(NEW.detail, '$.late_workdays')
      WHERE NEW.kind IN ('release', 'outcome') AND check_id = NEW.check_id;
  END;
  CREATE TRIGGER delivered_counted AFTER INSERT ON delivered BEGIN
    INSERT INTO lateness (factor, key, took, n) VALUES (NEW.factor, NEW.key, NEW.declared + NEW.late, 1)
      ON CONFLICT (factor, key, took) DO UPDATE SET n = n + 1;
  END;`;

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
  // TEAM.md "Least privilege": commitments, holds, chain heads and lateness are derived by the database itself.
  (db) => (db === 'postgres' ? DERIVED_BY_DATABASE_PG : DERIVED_BY_DATABASE_SQLITE),
];
