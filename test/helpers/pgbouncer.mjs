// Debian's pgbouncer in transaction mode in front of a PostgreSQL server, as a
// team would run it (TEAM.md: "it works behind a transaction-mode pooler").
// Plain JavaScript: test/clients/pgbouncer.test.ts and bench/teamLog.mjs both use it.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.mjs';

/**
 * @param {{ upstreamPort: number, password: string, authType?: 'trust' | 'plain' }} options
 * pgbouncer logs in to the server as postgres with `password`; clients log in to
 * pgbouncer as postgres, with no password (trust) or the same one (plain).
 */
export async function startPgbouncer({ upstreamPort, password, authType = 'trust' }) {
  const dir = mkdtempSync(join(tmpdir(), 'promise-pgbouncer-'));
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    `[databases]
* = host=127.0.0.1 port=${upstreamPort} user=postgres password=${password}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = ${authType}
auth_file = ${join(dir, 'users.txt')}
pool_mode = transaction
default_pool_size = 2
`,
  );
  writeFileSync(join(dir, 'users.txt'), `"postgres" "${authType === 'trust' ? '' : password}"\n`);
  // pgbouncer will not run as root: it switches to nobody, who must read its files.
  chmodSync(dir, 0o755);
  const bouncer = spawn('pgbouncer', process.getuid?.() === 0 ? ['-u', 'nobody', ini] : [ini], { stdio: 'ignore' });
  const stop = () => {
    bouncer.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((resolve) => {
      const c = createConnection(port, '127.0.0.1', () => resolve(c.end() && true)).on('error', () => resolve(false));
    });
    if (up) return { port, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('pgbouncer did not start');
}
