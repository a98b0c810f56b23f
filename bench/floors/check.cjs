// Floors 2 and 3, what a check cannot avoid, with Node and SQLite alone: better-sqlite3's
// native addon loaded and driven directly (none of its JavaScript), the capabilities index
// read as a warm check reads it (its meta row, one product), then
// - a `--no-log` check: the log read for the stock it holds (one statement);
// - a logged check (`logged`): one check row appended to a hash chain (SHA-256, node:crypto)
//   in one IMMEDIATE transaction of a WAL log, as the log does (its own file: one table);
// and the answer written to a pipe. Usage: node check.cjs INDEX.db LOG.db [logged].
'use strict';
const { join } = require('node:path');
const addon = require(join(__dirname, '..', '..', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
addon.setErrorConstructor(Error);
const [index, logFile, logged] = process.argv.slice(2);

/** A connection as better-sqlite3's Database makes it: (file, name, anonymous, readonly, mustExist, timeout ms, verbose, buffer). */
const open = (file, readonly) => new addon.Database(file, file, false, readonly, readonly, 5000, null, null);
const one = (db, sql, ...args) =>
  db
    .prepare(sql, db, false)
    .pluck()
    .get(...args);

const caps = open(index, true);
const meta = JSON.parse(one(caps, 'SELECT value FROM meta WHERE key = ?', 'meta'));
const product = JSON.parse(one(caps, 'SELECT json FROM products WHERE sku = ?', 'PUMP-100'));
caps.close();

let id = null;
if (!logged) {
  const log = open(logFile, true);
  one(log, 'SELECT last_id FROM chain_heads WHERE tbl = ?', 'events');
  log.close();
} else {
  const { createHash } = require('node:crypto');
  const log = open(logFile, false);
  log.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
  log.exec('CREATE TABLE IF NOT EXISTS checks (id INTEGER PRIMARY KEY, sku TEXT, body TEXT NOT NULL, prev TEXT, hash TEXT NOT NULL)');
  log.exec('BEGIN IMMEDIATE');
  const prev = one(log, 'SELECT hash FROM checks ORDER BY id DESC LIMIT 1') ?? null;
  const body = JSON.stringify({ policy: meta.text.length, product, pad: 'x'.repeat(1400) });
  const hash = createHash('sha256').update(`${prev}\n${body}`).digest('hex');
  id = Number(log.prepare('INSERT INTO checks (sku, body, prev, hash) VALUES (?, ?, ?, ?)', log, false).run('PUMP-100', body, prev, hash).lastInsertRowid);
  log.exec('COMMIT');
  log.close();
}
process.stdout.write(`${JSON.stringify({ id, verdict: 'feasible', sku: 'PUMP-100' })}\n`);
