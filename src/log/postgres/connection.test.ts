// Where a team log is and how to log in, as psql would take it.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { Failure } from '../../errors.js';
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
      sslmode: 'require',
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

  it('sslmode defaults to prefer, as libpq; the URL wins over PGSSLMODE', () => {
    expect(resolveConnection('postgres://h/db', {}).sslmode).toBe('prefer');
    expect(resolveConnection('postgres://h/db', { PGSSLMODE: 'disable' }).sslmode).toBe('disable');
    expect(resolveConnection('postgres://h/db?sslmode=verify-full', { PGSSLMODE: 'disable' }).sslmode).toBe('verify-full');
  });

  it('a bad sslmode or a bad %-escape is one line of bad usage (exit 2) that never shows the password', () => {
    const refused = (url: string, env: NodeJS.ProcessEnv = {}) => {
      try {
        resolveConnection(url, env);
      } catch (e) {
        expect(e).toBeInstanceOf(Failure);
        expect((e as Failure).exitCode).toBe(2);
        expect((e as Failure).message).not.toContain('secret');
        expect((e as Failure).message).not.toContain('\n');
        return (e as Failure).message;
      }
      throw new Error(`accepted ${url}`);
    };
    const modes = '--log: sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full';
    expect(refused('postgres://anna:secret@h/db?sslmode=required')).toBe(modes);
    expect(refused('postgres://anna:secret@h/db', { PGSSLMODE: 'on' })).toBe(modes);
    const badEscape = '--log: the URL has a bad %-escape (write a literal % as %25)';
    expect(refused('postgres://anna:100%secret@h/db')).toBe(badEscape);
    expect(refused('postgres://anna:secret@h/db?application_name=50%')).toBe(badEscape);
    expect(refused('postgres://anna:secret@h/d%ffb')).toBe(badEscape);
  });

  it('sslrootcert and PGSSLROOTCERT are read now; with require they check the chain (verify-ca), as libpq', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nCA\n');
    const byUrl = resolveConnection(`postgres://h/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`, {});
    expect(byUrl).toMatchObject({ sslmode: 'verify-full', sslRootCert: '-----BEGIN CERTIFICATE-----\nCA\n' });
    expect(resolveConnection('postgres://h/db?sslmode=require', { PGSSLROOTCERT: ca })).toMatchObject({
      sslmode: 'verify-ca',
      sslRootCert: '-----BEGIN CERTIFICATE-----\nCA\n',
    });
    // sslrootcert=system: the system's CAs, and the host name checked.
    expect(resolveConnection('postgres://h/db?sslrootcert=system', {})).toMatchObject({ sslmode: 'verify-full', sslRootCert: undefined });
    // libpq's default file, when there is one.
    mkdirSync(join(dir, 'home', '.postgresql'), { recursive: true });
    writeFileSync(join(dir, 'home', '.postgresql', 'root.crt'), 'HOME CA');
    expect(resolveConnection('postgres://h/db?sslmode=verify-ca', { HOME: join(dir, 'home') }).sslRootCert).toBe('HOME CA');
    expect(() => resolveConnection('postgres://anna:secret@h/db?sslmode=verify-ca', { PGSSLROOTCERT: join(dir, 'nope.pem') })).toThrow(
      `--log: sslrootcert ${join(dir, 'nope.pem')}: no such file`,
    );
  });

  it('sslcert and sslkey (or PGSSLCERT, PGSSLKEY) give a client certificate', () => {
    writeFileSync(join(dir, 'client.crt'), 'CERT');
    writeFileSync(join(dir, 'client.key'), 'KEY');
    const c = resolveConnection(`postgres://h/db?sslcert=${join(dir, 'client.crt')}`, { PGSSLKEY: join(dir, 'client.key') });
    expect(c).toMatchObject({ sslCert: 'CERT', sslKey: 'KEY' });
    expect(() => resolveConnection('postgres://h/db', { PGSSLKEY: join(dir, 'none.key') })).toThrow(`--log: sslkey ${join(dir, 'none.key')}: no such file`);
  });

  it('a host that starts with / is the directory of a Unix socket (host= in the URL, or PGHOST)', () => {
    const byParam = resolveConnection('postgres://anna@/sales?host=/var/run/postgresql&port=5433', {});
    expect(byParam).toMatchObject({ host: '/var/run/postgresql', port: 5433, user: 'anna', database: 'sales' });
    expect(byParam.name).toBe('postgres://anna@/sales?host=/var/run/postgresql&port=5433');
    expect(resolveConnection('postgres:///sales', { PGHOST: '/tmp', PGUSER: 'ben' }).name).toBe('postgres://ben@/sales?host=/tmp&port=5432');
    expect(resolveConnection('postgres://ben@%2Ftmp%2Fpg/sales', {}).host).toBe('/tmp/pg');
  });
});
