// Validated capabilities, compiled into an index: one SQLite file per content
// hash, its products one row per sku. Parsing YAML and CSV dominates start-up
// (seconds for 100,000 products), while a check reads one or two products of a
// company that has not changed since the last check. A warm check stats the
// files, reads the small policy and the products it asks for; nothing grows with
// the catalogue. Nothing is trusted that the same build did not validate.
//
// Is the index current? The content hash decides, and a warm check must not hash
// megabytes of feeds to learn it. Each capabilities file has a record of the
// files it drew on (size, mtime, inode, hash): a file whose stat matches and was
// already unchanged for a while when it was hashed keeps its hash (git's "racily
// clean" rule); any other is read and hashed again. The hash logs record is
// always the hash of the content the index was built from.
//
// Pruning: the newest KEEP indexes (by last use) and KEEP_RECORDS records stay.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Catalogue, Policy } from '../core/model.js';
import { type Clock, instantIn, localTime } from '../core/time/clock.js';
import { yearOf } from '../core/time/days.js';
import { reachedYears } from '../core/time/workCalendar.js';
import { sqlite } from '../sqlite.js';
import { BUILD_ID } from '../version.js';
import type { FeedKind } from './feeds.js';

/** A feed's text as a log kept it. */
type RecordedFeed = { kind: string; path: string; text: string };

import { capabilitiesSha, sha256 } from '../hash.js';
import type { Product } from './capabilitiesSchema.js';
import type { PublicHoliday } from './publicHolidays.js';
import { type FeedSource, feedPath, type LoadedCapabilities, type LoadResult, MAX_FEED_BYTES, readCapabilitiesText, readText } from './read.js';

/** Indexes kept; the least recently used beyond this are removed. */
const KEEP = 32;
const KEEP_RECORDS = 256;
/** A file changed less than this before it was hashed is hashed again (coarse mtimes: FAT has 2 s). */
const SETTLE_MS = 2000;
/** How stale an index's mtime may get before a use refreshes it (a write per check would cost more). */
const TOUCH_AFTER_MS = 3_600_000;

const cacheDir = (): string => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'promise');

/** Capabilities from a file and the feeds beside it, through the index. */
export async function loadCapabilities(file: string, now: Clock | Date): Promise<LoadResult> {
  const known = recordedHash(file);
  const hit = known && openIndex(known, file);
  if (hit && reaches(hit, now)) return { ok: true, value: hit };
  // Before reading: a change made while this runs must not look settled (recordedHash).
  const readAt = Date.now();
  const read = readCapabilitiesText(file);
  if (!read.ok) return read;
  const { parseCapabilities, feedsBeside } = await import('./load.js');
  const result = parseCapabilities(read.text, file, now, feedsBeside(file));
  if (result.ok) {
    writeIndex(result.value);
    writeRecord(file, result.value, readAt);
  }
  return result;
}

/**
 * Capabilities from the texts a log recorded: the YAML and its feeds by kind.
 * Indexed like a file, so a replay of a large company is as quick as a check.
 */
export async function capabilitiesFromText(text: string, file: string, now: Clock | Date, feeds: readonly RecordedFeed[] = []): Promise<LoadResult> {
  const hash = capabilitiesSha(
    sha256(text),
    feeds.map((f) => ({ kind: f.kind, sha256: sha256(f.text) })),
  );
  const hit = openIndex(hash, file);
  if (hit && reaches(hit, now)) return { ok: true, value: hit };
  const { parseCapabilities } = await import('./load.js');
  const recorded = (kind: FeedKind, path: string) => {
    const feed = feeds.find((f) => f.kind === kind);
    return feed ? { ok: true as const, text: feed.text } : { ok: false as const, message: `not recorded (the log keeps no ${kind} feed ${path})` };
  };
  const result = parseCapabilities(text, file, now, recorded);
  if (result.ok) writeIndex(result.value);
  return result;
}

/**
 * Whether the index's public holidays cover every year a check made now reaches
 * (COMMITMENTS.md: computed for that year when needed). A file validated in 2026
 * and checked in 2028 is validated again, its holidays expanded for 2028 on.
 */
function reaches(loaded: LoadedCapabilities, now: Clock | Date): boolean {
  const years = loaded.caps.expanded?.years;
  if (!years) return true;
  const zone = loaded.caps.timezone;
  const year = yearOf(localTime(instantIn(now, zone), zone).day);
  const [from, to] = reachedYears(year);
  return years[0] <= from && years[1] >= to;
}

// ---- The index: one SQLite file per content hash ----

/** FNV-1a: a short tag of the build for file names (no crypto on the warm path). */
function tag(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

const indexPath = (hash: string) => join(cacheDir(), `${hash}.${tag(BUILD_ID)}.db`);

interface Meta {
  policy: Policy;
  publicHolidays: PublicHoliday[];
  text: string;
  feeds: { kind: FeedKind; path: string; sha256: string }[];
}

function openIndex(hash: string, file: string): LoadedCapabilities | null {
  const path = indexPath(hash);
  let db: BetterSqlite3.Database;
  try {
    db = new (sqlite())(path, { readonly: true, fileMustExist: true });
    const meta = JSON.parse((db.prepare('SELECT value FROM meta WHERE key = ?').get('meta') as { value: string }).value) as Meta;
    touch(path);
    const product = db.prepare('SELECT json FROM products WHERE sku = ?').pluck();
    const text = db.prepare('SELECT text FROM texts WHERE sha256 = ?').pluck();
    const catalogue: Catalogue = {
      get: (sku) => {
        const json = product.get(sku) as string | undefined;
        return json === undefined ? undefined : (JSON.parse(json) as Product);
      },
      skus: () => db.prepare('SELECT sku FROM products ORDER BY position').pluck().all() as string[],
    };
    const feeds: FeedSource[] = meta.feeds.map((f) => ({ ...f, text: () => text.get(f.sha256) as string }));
    return { file, text: meta.text, sha256: hash, feeds, caps: meta.policy, catalogue, publicHolidays: meta.publicHolidays, warnings: [] };
  } catch {
    // Missing, half-written by a crashed older build, or unreadable: validate again.
    return null;
  }
}

function touch(path: string): void {
  try {
    if (Date.now() - statSync(path).mtimeMs > TOUCH_AFTER_MS) utimesSync(path, new Date(), new Date());
  } catch {
    // ignore: only the pruning order suffers
  }
}

/** Best effort: a read-only or full cache directory only costs speed. Written aside, then renamed into place. */
function writeIndex(loaded: LoadedCapabilities): void {
  const path = indexPath(loaded.sha256);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    const db = new (sqlite())(tmp);
    try {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE products (sku TEXT PRIMARY KEY, position INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE texts (sha256 TEXT PRIMARY KEY, text TEXT NOT NULL);
      `);
      const meta: Meta = {
        policy: policyOf(loaded.caps),
        publicHolidays: loaded.publicHolidays,
        text: loaded.text,
        feeds: loaded.feeds.map(({ kind, path, sha256 }) => ({ kind, path, sha256 })),
      };
      const insert = db.prepare('INSERT INTO products (sku, position, json) VALUES (?, ?, ?)');
      const addText = db.prepare('INSERT OR IGNORE INTO texts (sha256, text) VALUES (?, ?)');
      db.transaction(() => {
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('meta', JSON.stringify(meta));
        loaded.catalogue.skus().forEach((sku, i) => {
          insert.run(sku, i, JSON.stringify(loaded.catalogue.get(sku)));
        });
        for (const f of loaded.feeds) addText.run(f.sha256, f.text());
      })();
    } finally {
      db.close();
    }
    renameSync(tmp, path);
    prune(cacheDir(), '.db', KEEP);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // ignore
    }
  }
}

/** The policy alone: the parsed capabilities carry their products too. */
function policyOf(caps: Policy): Policy {
  const { products: _products, ...policy } = caps as Policy & { products?: unknown };
  return policy;
}

function prune(dir: string, suffix: string, keep: number): void {
  const files = readdirSync(dir).filter((f) => f.endsWith(suffix));
  if (files.length <= keep) return;
  const byAge = files.map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { f } of byAge.slice(0, files.length - keep)) unlinkSync(join(dir, f));
}

// ---- Records: which content a capabilities file had when last read ----

interface FileStat {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

interface RecordFile {
  file: string;
  yaml: FileStat;
  feeds: (FileStat & { kind: FeedKind })[];
  hashedAt: number;
}

const recordPath = (file: string) => join(cacheDir(), 'files', `${tag(file)}${tag(`${file}\u0000`)}.json`);

const statOf = (path: string) => {
  const s = statSync(path);
  return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
};

/** True when the file is as it was when hashed, and had already settled then. */
function unchanged(f: FileStat, hashedAt: number): boolean {
  try {
    const now = statOf(f.path);
    return now.size === f.size && now.mtimeMs === f.mtimeMs && now.ino === f.ino && f.mtimeMs < hashedAt - SETTLE_MS;
  } catch {
    return false;
  }
}

/**
 * The content hash of a file and its feeds without reading them, when its
 * record says nothing changed. A feed that changed is hashed again (a stock
 * export changes hourly; its YAML rarely); a changed YAML may name other feeds,
 * so it is left to the full path.
 */
function recordedHash(file: string): string | null {
  const abs = resolve(file);
  let record: RecordFile;
  try {
    record = JSON.parse(readFileSync(recordPath(abs), 'utf8')) as RecordFile;
  } catch {
    return null;
  }
  if (record.file !== abs || !unchanged(record.yaml, record.hashedAt)) return null;
  let rehashed = false;
  const readAt = Date.now();
  const feeds = record.feeds.map((f) => {
    if (unchanged(f, record.hashedAt)) return f;
    const read = readText(f.path, MAX_FEED_BYTES, 'supply feed');
    if (!read.ok) return null;
    rehashed = true;
    return { ...f, ...statOf(f.path), sha256: sha256(read.text) };
  });
  if (feeds.some((f) => f === null)) return null;
  const hash = capabilitiesSha(record.yaml.sha256, feeds as RecordFile['feeds']);
  if (rehashed) saveRecord({ ...record, feeds: feeds as RecordFile['feeds'], hashedAt: readAt });
  return hash;
}

function writeRecord(file: string, loaded: LoadedCapabilities, readAt: number): void {
  const abs = resolve(file);
  try {
    const yamlStat = statOf(abs);
    const feeds = loaded.feeds.map((f) => {
      const path = feedPath(abs, f.path);
      return { kind: f.kind, path, ...statOf(path), sha256: f.sha256 };
    });
    saveRecord({ file: abs, yaml: { path: abs, ...yamlStat, sha256: sha256(loaded.text) }, feeds, hashedAt: readAt });
  } catch {
    // ignore: the next check hashes again
  }
}

function saveRecord(record: RecordFile): void {
  try {
    const path = recordPath(record.file);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record));
    renameSync(tmp, path);
    prune(dirname(path), '.json', KEEP_RECORDS);
  } catch {
    // ignore
  }
}
