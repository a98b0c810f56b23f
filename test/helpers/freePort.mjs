// A TCP port nothing listens on now, on 127.0.0.1. Plain JavaScript: the tests' servers and
// bench/teamLog.mjs (through pgbouncer.mjs) both use it.
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
