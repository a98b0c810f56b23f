// The WAL's checkpoints on a thread of their own, started from the built
// dist/writer.cjs as the log's writer thread starts it, on a real SQLite file:
// a connection that leaves its checkpoints elsewhere does not copy its WAL into
// the database file when it commits, and the checkpointer does.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../../../test/helpers/cli.js';
import { sql } from '../sql.js';
import { startCheckpointer } from './checkpointer.js';
import { SqliteDialect } from './sqliteDialect.js';

const ENTRY = join(ROOT, 'dist', 'writer.cjs');
const dir = tempDir();
const opened: SqliteDialect[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

/** ~2,500 pages of WAL: past SQLite's own 1,000, short of the 10,000 a connection that leaves them elsewhere still takes one at. */
async function fill(d: SqliteDialect): Promise<void> {
  await d.send(sql`CREATE TABLE t (x TEXT)`);
  for (let i = 0; i < 50; i++)
    await d.transaction(async (tx) => {
      for (let j = 0; j < 50; j++) await tx.send(sql`INSERT INTO t VALUES (${`${i}:${j}:`.padEnd(3500, 'x')})`);
    });
}

const until = async (ok: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((resolve) => setTimeout(resolve, 20));
  return ok();
};

describe('the checkpointer', () => {
  it("copies the WAL into the database file, which the writer's own commits left to it", async () => {
    const own = SqliteDialect.open(join(dir, 'own.db'), { lockTimeoutMs: 1000 });
    const elsewhere = SqliteDialect.open(join(dir, 'elsewhere.db'), { lockTimeoutMs: 1000, checkpointsElsewhere: true });
    opened.push(own, elsewhere);
    await fill(own);
    await fill(elsewhere);
    const size = (name: string) => statSync(join(dir, name)).size;
    // SQLite's own checkpoints copied most of the first; none ran on the second.
    expect(size('own.db')).toBeGreaterThan(5_000_000);
    expect(size('elsewhere.db')).toBeLessThan(100_000);

    const stop = await startCheckpointer(ENTRY, join(dir, 'elsewhere.db'), 1000);
    expect(await until(() => size('elsewhere.db') > 8_000_000, 5000)).toBe(true);
    // The writer goes on while it runs, and it stops when told (the test would hang otherwise).
    await elsewhere.send(sql`INSERT INTO t VALUES ('after')`);
    await stop();
    expect(await elsewhere.all(sql`SELECT count(*) AS n FROM t`)).toEqual([{ n: 2501 }]);
  });
});
