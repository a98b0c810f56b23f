// Where a team log is and how to log in, as psql would take it.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { resolveConnection } from './connection.js';

const dir = tempDir();

describe('resolveConnection', () => {
  it('takes everything from the URL, with libpq parameters, and names the log without the password', () => {
    const c = resolveConnection('postgresql://anna:s%40cret@db.example.com:6543/sales?sslmode=require&connect_timeout=3&application_name=quotes', {});
    expect(c).toMatchObject({
      host: 'db.example.com',
      port: 6543,
      database: 'sales',
      user: 'anna',
      password: 's@cret',
      ssl: 'require',
      connectTimeout: 3,
      applicationName: 'quotes',
    });
    expect(c.name).toBe('postgres://anna@db.example.com:6543/sales');
  });

  it('fills what the URL leaves out from PG* variables, then ~/.pgpass', () => {
    const pgpass = join(dir, 'pgpass');
    writeFileSync(pgpass, '# comment\nother:5432:*:*:nope\ndb.internal:5433:sales:ben:pa\\:ss\n*:*:*:*:fallback\n');
    chmodSync(pgpass, 0o600);
    const env = { PGHOST: 'db.internal', PGPORT: '5433', PGUSER: 'ben', PGDATABASE: 'sales', PGPASSFILE: pgpass, PGCONNECT_TIMEOUT: '7' };
    expect(resolveConnection('postgres://', env)).toMatchObject({
      host: 'db.internal',
      port: 5433,
      user: 'ben',
      database: 'sales',
      password: 'pa:ss',
      connectTimeout: 7,
    });
    expect(resolveConnection('postgres://', { ...env, PGPASSWORD: 'from-env' }).password).toBe('from-env');
    expect(resolveConnection('postgres://carl@elsewhere/x', { PGPASSFILE: pgpass }).password).toBe('fallback');
    // A file others can read is ignored, as libpq does.
    chmodSync(pgpass, 0o644);
    expect(resolveConnection('postgres://', env).password).toBeUndefined();
  });

  it('a malformed URL is refused without echoing it (it may hold a password)', () => {
    expect(() => resolveConnection('postgres://anna:secret@[bad', {})).toThrow('--log: not a valid postgres:// URL (postgres://USER@HOST:PORT/DATABASE)');
  });
});
