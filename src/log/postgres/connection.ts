// Where a PostgreSQL log is and how to log in, as psql would take it: the URL,
// then libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE,
// PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY, PGCONNECT_TIMEOUT), then
// ~/.pgpass for the password. The password goes to the client library only:
// never into a message or a row.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { usageError } from '../../errors.js';

/** libpq's sslmode values, weakest first. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface Connection {
  /** A host name or address; for a Unix socket, the socket's directory (starts with '/'). */
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  /** libpq's sslmode (default prefer); `require` with a root certificate is verify-ca, as in libpq. */
  sslmode: SslMode;
  /** PEM text of the CAs to trust for verify-ca/verify-full; undefined: the system's CAs. */
  sslRootCert: string | undefined;
  /** PEM text of a client certificate and its key (sslcert/sslkey), for a server that asks for one. */
  sslCert: string | undefined;
  sslKey: string | undefined;
  /** Seconds to wait for the server before giving up (libpq's connect_timeout; default 10). */
  connectTimeout: number;
  applicationName: string;
  /** How messages name this log: no password, ever. */
  name: string;
}

/** A reserved name (RFC 2606): never a real host. */
const NO_HOST = 'no-host.invalid';

export function resolveConnection(url: string, env: NodeJS.ProcessEnv): Connection {
  // The URL itself may hold a password: no message here ever echoes it.
  let u: URL;
  try {
    // libpq takes `postgres://user@/db?host=/socket/dir`; WHATWG URLs refuse a user without a host, so one that cannot exist stands in.
    u = new URL(url.replace(/^(postgres(?:ql)?:\/\/[^/?#]*@)(?=[/?#]|$)/i, `$1${NO_HOST}`));
  } catch {
    throw usageError('--log: not a valid postgres:// URL (postgres://USER@HOST:PORT/DATABASE)');
  }
  // Every %-escape must decode (libpq refuses the URL otherwise); URLSearchParams alone would let a bad one through as text.
  try {
    decodeURIComponent(url);
  } catch {
    throw usageError('--log: the URL has a bad %-escape (write a literal % as %25)');
  }
  const param = (name: string) => u.searchParams.get(name) || undefined;
  const host = decodeURIComponent(u.hostname === NO_HOST ? '' : u.hostname) || param('host') || env.PGHOST || 'localhost';
  const port = Number(u.port || param('port') || env.PGPORT || 5432);
  const user = decodeURIComponent(u.username) || param('user') || env.PGUSER || safeUser();
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || param('dbname') || env.PGDATABASE || user;
  const timeout = Number(param('connect_timeout') ?? env.PGCONNECT_TIMEOUT ?? 10);
  const password =
    (u.password ? decodeURIComponent(u.password) : undefined) ?? param('password') ?? env.PGPASSWORD ?? fromPgpass(host, port, database, user, env);
  const mode = param('sslmode') ?? env.PGSSLMODE ?? 'prefer';
  if (!(SSL_MODES as readonly string[]).includes(mode)) throw usageError(`--log: sslmode must be one of ${SSL_MODES.join(', ')}`);
  // libpq's default, ~/.postgresql/root.crt, only when it is there; else the system's CAs (as sslrootcert=system).
  const defaultRoot = join(env.HOME || homedir(), '.postgresql', 'root.crt');
  const rootCertFile = param('sslrootcert') ?? env.PGSSLROOTCERT ?? (existsSync(defaultRoot) ? defaultRoot : undefined);
  const sslRootCert = rootCertFile === undefined || rootCertFile === 'system' ? undefined : pemFile('sslrootcert', rootCertFile);
  const certFile = param('sslcert') ?? env.PGSSLCERT;
  const keyFile = param('sslkey') ?? env.PGSSLKEY;
  let sslmode = mode as SslMode;
  // As libpq: a root certificate given makes `require` check the chain; `system` means the host name too.
  if (sslmode === 'require' && sslRootCert !== undefined) sslmode = 'verify-ca';
  if (rootCertFile === 'system' && !['verify-ca', 'verify-full'].includes(sslmode)) sslmode = 'verify-full';
  const socket = host.startsWith('/');
  return {
    host,
    port,
    database,
    user,
    password,
    sslmode,
    sslRootCert,
    sslCert: certFile === undefined ? undefined : pemFile('sslcert', certFile),
    sslKey: keyFile === undefined ? undefined : pemFile('sslkey', keyFile),
    connectTimeout: Number.isFinite(timeout) && timeout > 0 ? timeout : 10,
    applicationName: param('application_name') ?? 'promise',
    // A socket directory cannot stand where a URL's host does: libpq's own form puts it in `host=`.
    name: socket ? `postgres://${user}@/${database}?host=${host}&port=${port}` : `postgres://${user}@${host}:${port}/${database}`,
  };
}

/** A certificate or key file, read now: a missing one is bad usage, named by its parameter. */
function pemFile(param: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read';
    throw usageError(`--log: ${param} ${file}: ${why}`);
  }
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
