// A floor for bench/teamLog.mjs: the same on PostgreSQL (log in, one statement, then BEGIN,
// the row and COMMIT in one flight, end, print). The bench makes the table beforehand.
// postgres.js as the CLI loads it: its bundle in dist/lib (npm install builds it).
const postgres = require('../../dist/lib/postgres.cjs');

const sql = postgres(process.argv[2], { max: 1, fetch_types: false, onnotice: () => {} });
(async () => {
  await sql`SELECT 1`;
  await sql.begin((tx) => [tx.unsafe(`INSERT INTO floor (body) VALUES (repeat('x', 1500))`)]);
  await sql.end();
  process.stdout.write('recorded\n');
})();
