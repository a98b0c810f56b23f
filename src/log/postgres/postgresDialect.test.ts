// Values go to PostgreSQL as literals (postgresDialect.ts: no parameters, so
// statements pipeline): whatever text a rep types must come back unchanged.
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/teamLog.js';
import { sql } from '../sql.js';
import { resolveConnection } from './connection.js';
import { literal, PostgresDialect } from './postgresDialect.js';

const HOSTILE = [
  '',
  "O'Brien",
  "''; DROP TABLE checks; --",
  '$v$',
  'ends in $v',
  '$v$$v1$$v2$',
  'back\\slash \\x41 \\n',
  "E'\\047'",
  '"quoted" and `ticked`',
  'ünïcødé — 数量 🚚',
  'line\nbreak\ttab\r',
  '$$ dollar $$',
];

describe('values as literals', () => {
  it('every hostile text and number comes back as it went, through a real server', async () => {
    const dialect = await PostgresDialect.open(resolveConnection(await freshDatabase(), {}), 5);
    try {
      for (const text of HOSTILE) {
        const [row] = await dialect.all<{ v: string }>(sql`SELECT ${text}::text AS v`);
        expect(row!.v).toBe(text);
      }
      for (const n of [0, -1, 42, -2.5, 1e-7, 2 ** 52]) {
        const [row] = await dialect.all<{ v: number }>(sql`SELECT ${n}::float8 AS v`);
        expect(row!.v).toBe(n);
      }
      const [row] = await dialect.all<{ a: null; b: boolean }>(sql`SELECT ${null}::text AS a, ${true} AS b`);
      expect(row).toEqual({ a: null, b: true });
    } finally {
      await dialect.close();
    }
  });

  it('the closing tag is the first one after the opening tag, whatever the text', () => {
    for (const text of HOSTILE) {
      const quoted = literal(text);
      const tag = quoted.slice(0, quoted.indexOf('$', 1) + 1);
      expect(quoted.indexOf(tag, tag.length)).toBe(quoted.length - tag.length);
    }
    expect(() => literal(Number.NaN)).toThrow();
  });
});

describe("a server's failures in the log's words", () => {
  it('a socket closed under a statement being sent (EPIPE) or read (ECONNRESET): went away in the middle of the command', async () => {
    const dialect = await PostgresDialect.open(resolveConnection(await freshDatabase(), {}), 5);
    try {
      for (const code of ['EPIPE', 'ECONNRESET'])
        expect(dialect.failure(Object.assign(new Error(`write ${code}`), { code })).message).toMatch(
          /^log postgres:\/\/\S+ went away in the middle of the command; nothing was recorded$/,
        );
    } finally {
      await dialect.close();
    }
  });
});
