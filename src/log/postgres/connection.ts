// Where a PostgreSQL log is and how to log in, as psql would take it: the URL,
// then libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE,
// PGSSLMODE, PGCONNECT_TIMEOUT), then ~/.pgpass for the password. The password
// goes to the client library only: never into a message, a row or a process list.
import { readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { usageError } from '../../errors.js';

export interface Connection {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  ssl: string | undefined;
  /** Seconds to wait for the server before giving up (libpq's connect_timeout; default 10). */
  connectTimeout: number;
  applicationName: string;
  /** How messages name this log: no password, ever. */
  name: string;
}

export function resolveConnection(url: string, env: NodeJS.ProcessEnv): Connection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // The URL itself may hold a password: never echo it.
    throw usageError('--log: not a valid postgres:// URL (postgres://USER@HOST:PORT/DATABASE)');
  }
  const param = (name: string) => u.searchParams.get(name) ?? undefined;
  const host = decodeURIComponent(u.hostname) || param('host') || env.PGHOST || 'localhost';
  const port = Number(u.port || param('port') || env.PGPORT || 5432);
  const user = decodeURIComponent(u.username) || param('user') || env.PGUSER || safeUser();
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || param('dbname') || env.PGDATABASE || user;
  const timeout = Number(param('connect_timeout') ?? env.PGCONNECT_TIMEOUT ?? 10);
  const password =
    (u.password ? decodeURIComponent(u.password) : undefined) ?? param('password') ?? env.PGPASSWORD ?? fromPgpass(host, port, database, user, env);
  return {
    host,
    port,
    database,
    user,
    password,
    ssl: param('sslmode') ?? env.PGSSLMODE,
    connectTimeout: Number.isFinite(timeout) && timeout > 0 ? timeout : 10,
    applicationName: param('application_name') ?? 'promise',
    name: `postgres://${user}@${host}:${port}/${database}`,
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

/**
 * ~/.pgpass (or $PGPASSFILE): lines of host:port:database:user:password, `*`
 * matching anything, `\:` and `\\` escaped; the first match wins. Like libpq, a
 * file others can read is ignored.
 */
function fromPgpass(host: string, port: number, database: string, user: string, env: NodeJS.ProcessEnv): string | undefined {
  const file = env.PGPASSFILE || join(env.HOME || homedir(), '.pgpass');
  let text: string;
  try {
    if ((statSync(file).mode & 0o077) !== 0) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields: string[] = [];
    let field = '';
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '\\' && i + 1 < line.length) field += line[++i];
      else if (line[i] === ':' && fields.length < 4) {
        fields.push(field);
        field = '';
      } else field += line[i];
    }
    fields.push(field);
    if (fields.length !== 5) continue;
    const [h, p, d, u, password] = fields as [string, string, string, string, string];
    const matches = (pattern: string, value: string) => pattern === '*' || pattern === value;
    if (matches(h, host) && matches(p, String(port)) && matches(d, database) && matches(u, user)) return password;
  }
  return undefined;
}
