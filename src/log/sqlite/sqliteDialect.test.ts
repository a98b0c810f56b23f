// The SQLite dialect's own choices, below the store: what a write transaction sets up.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { sql } from '../sql.js';
import { SqliteDialect } from './sqliteDialect.js';

const dir = tempDir();
const opened: SqliteDialect[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

const open = (name: string) => {
  const d = SqliteDialect.open(join(dir, name), { lockTimeoutMs: 1000 });
  opened.push(d);
  return d;
};
const tempStore = async (d: SqliteDialect) => (await d.all<{ temp_store: number }>(sql`PRAGMA temp_store`))[0]!.temp_store;

describe('SQLite write transactions', () => {
  // The checks table's trigger makes each INSERT journal its pages for itself: on disk, a temp
  // file written and truncated for every row of a batch (issue 25).
  it('keep statement journals in memory while writing, and only then', async () => {
    const d = open('log.db');
    expect(await tempStore(d)).toBe(0);
    expect(await d.transaction(async (tx) => tempStore(tx as SqliteDialect))).toBe(2);
    expect(await tempStore(d)).toBe(0);
  });

  it('set the default back after a transaction that failed', async () => {
    const d = open('failed.db');
    await expect(
      d.transaction(async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await tempStore(d)).toBe(0);
    expect(await d.transaction(async (tx) => tempStore(tx as SqliteDialect))).toBe(2);
  });
});
