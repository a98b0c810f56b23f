// A TCP proxy in front of PostgreSQL that makes it far away: every chunk waits
// `delayMs` each way (so a round trip costs 2 x delayMs), and it counts the
// round trips a client makes once logged in. A round trip is a flight: what the
// client sends after an answer was delivered to it; the statements a client
// sends before any answer reaches it are one. Plain protocol only (sslmode=disable).
// Plain JavaScript: the tests and bench/teamLog.mjs both use it.
import { connect, createServer } from 'node:net';

/** @param {{ port: number, host?: string, delayMs: number }} upstream */
export async function latencyProxy({ port, host = '127.0.0.1', delayMs }) {
  const flights = [];
  const server = createServer((client) => {
    // No Nagle on either side: the delay is the proxy's, not the kernel's waiting for an ACK.
    client.setNoDelay(true);
    const db = connect({ port, host, noDelay: true });
    const stats = { loggedIn: false, last: 'server', flights: 0 };
    flights.push(stats);
    let fromServer = Buffer.alloc(0);
    const later = (fn) => setTimeout(fn, delayMs);
    client.on('data', (chunk) => {
      // A chunk that only says goodbye (Terminate, 'X') is no round trip.
      const goodbye = chunk.length === 5 && chunk[0] === 0x58;
      if (stats.loggedIn && stats.last === 'server' && !goodbye) stats.flights++;
      stats.last = 'client';
      later(() => db.write(chunk));
    });
    db.on('data', (chunk) => {
      if (!stats.loggedIn) {
        // Messages are a type byte and a length; the first ReadyForQuery ('Z') ends the login.
        fromServer = Buffer.concat([fromServer, chunk]);
        while (fromServer.length >= 5) {
          const length = fromServer.readUInt32BE(1);
          if (fromServer.length < 1 + length) break;
          if (fromServer[0] === 0x5a) stats.loggedIn = true;
          fromServer = fromServer.subarray(1 + length);
        }
      }
      // The client has the answer only once it is delivered: what it sends after that is its next round trip.
      later(() => {
        stats.last = 'server';
        client.write(chunk);
      });
    });
    const end = () =>
      later(() => {
        client.destroy();
        db.destroy();
      });
    client.on('close', end);
    db.on('close', end);
    client.on('error', () => {});
    db.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    /** Round trips after login, per connection, in the order connections were opened. */
    roundTrips: () => flights.map((f) => f.flights),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
