// A floor for bench/teamLog.mjs: the least a logged check does on SQLite (open the log,
// append one row of a check's size in a transaction, close, print), timed beside the check.
// better-sqlite3's JavaScript loads from node_modules here (the CLI has it in its bundle): a
// few ms more than the check pays, so the floors' ratio errs on PostgreSQL's side.
const Database = require('better-sqlite3');

const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS floor (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
db.transaction(() => db.prepare('INSERT INTO floor (body) VALUES (?)').run('x'.repeat(1500)))();
db.close();
process.stdout.write('recorded\n');
