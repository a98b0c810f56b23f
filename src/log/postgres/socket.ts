// How a connection to the team log is opened, as libpq opens it: a Unix socket
// when the host is a directory, else TCP; then TLS as sslmode says. postgres.js
// gets the socket ready for its start-up message. Its own `ssl` option cannot
// do this: `allow` and `verify-ca` do not exist there, and a server answering
// "no TLS" to `require` ends in a bare ECONNRESET instead of saying so.
import net from 'node:net';
import tls from 'node:tls';
import type { Connection, SslMode } from './connection.js';

/** One way of meeting the server: plain, TLS if it offers it (else plain), or TLS or nothing. */
export type Attempt = 'plain' | 'prefer' | 'tls';

/**
 * The attempts sslmode makes, in order; the next one is tried only when the
 * server refuses the login (its pg_hba.conf may ask for TLS, or forbid it).
 * Over a Unix socket TLS is never tried, as libpq never does.
 */
export function attemptsFor(mode: SslMode, unixSocket: boolean): Attempt[] {
  if (unixSocket || mode === 'disable') return ['plain'];
  if (mode === 'allow') return ['plain', 'tls'];
  if (mode === 'prefer') return ['prefer', 'plain'];
  return ['tls'];
}

/** The first 8 bytes a client sends to ask for TLS (length 8, code 80877103). */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

/** A socket ready for the start-up message; `encrypted` says whether it is TLS. */
export async function openSocket(c: Connection, attempt: Attempt, signal?: AbortSignal): Promise<{ socket: net.Socket; encrypted: boolean }> {
  let current: net.Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let abandon = () => {};
  let over = false;
  const expired = new Promise<never>((_, reject) => {
    const fail = (e: Error) => {
      over = true;
      current?.destroy();
      reject(e);
    };
    timer = setTimeout(() => fail(coded('CONNECT_TIMEOUT', 'connect_timeout')), c.connectTimeout * 1000);
    abandon = () => fail(coded('ABORTED', 'no longer needed'));
    if (signal?.aborted) abandon();
    else signal?.addEventListener('abort', abandon, { once: true });
  });
  // A socket that connects after the attempt was given up would otherwise stay open, and the process with it.
  const track = (s: net.Socket) => {
    current = s;
    if (over) s.destroy();
    return s;
  };
  try {
    return await Promise.race([negotiate(c, attempt, track), expired]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abandon);
  }
}

async function negotiate(c: Connection, attempt: Attempt, track: (s: net.Socket) => net.Socket): Promise<{ socket: net.Socket; encrypted: boolean }> {
  const raw = track(await connected(c));
  if (attempt === 'plain') return { socket: raw, encrypted: false };
  raw.write(SSL_REQUEST);
  const answer = await settled<Buffer>(raw, (resolve, reject) => ({
    error: reject,
    close: () => reject(coded('ECONNRESET', 'closed during the TLS request')),
    data: resolve,
  }));
  // Anything after the one-byte answer would have been sent before the handshake: refuse it (CVE-2021-23222).
  if (answer.length !== 1 || (answer[0] !== 0x53 && answer[0] !== 0x4e)) {
    raw.destroy();
    throw coded('PROTOCOL', 'answered the TLS request with something else');
  }
  if (answer[0] === 0x4e) {
    if (attempt === 'prefer') return { socket: raw, encrypted: false };
    raw.destroy();
    throw coded('SSL_REFUSED', 'the server does not accept TLS');
  }
  try {
    return { socket: track(await handshake(raw, c)), encrypted: true };
  } catch (e) {
    raw.destroy();
    // libpq's prefer: a handshake that fails is tried again without TLS, on a new connection.
    if (attempt === 'prefer') return { socket: track(await connected(c)), encrypted: false };
    throw e;
  }
}

function connected(c: Connection): Promise<net.Socket> {
  // noDelay, as libpq sets TCP_NODELAY: a short statement sent right behind a long one (COMMIT behind
  // the check's row) would otherwise wait for the long one's ACK, a round trip of its own.
  const s = c.host.startsWith('/') ? net.connect({ path: `${c.host}/.s.PGSQL.${c.port}` }) : net.connect({ host: c.host, port: c.port, noDelay: true });
  return settled(s, (resolve, reject) => ({ error: reject, connect: () => resolve(s) }));
}

/** Waits for one of a socket's events, then takes its own listeners off again (the socket's own stay). */
function settled<T>(s: net.Socket, on: (resolve: (v: T) => void, reject: (e: unknown) => void) => Record<string, (...args: never[]) => void>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const handlers: Record<string, (...args: never[]) => void> = on(
      (v) => {
        off();
        resolve(v);
      },
      (e) => {
        off();
        reject(e);
      },
    );
    const off = () => {
      for (const [event, handler] of Object.entries(handlers)) s.removeListener(event, handler as (...args: unknown[]) => void);
    };
    for (const [event, handler] of Object.entries(handlers)) s.on(event, handler as (...args: unknown[]) => void);
  });
}

function handshake(raw: net.Socket, c: Connection): Promise<tls.TLSSocket> {
  const verify = c.sslmode === 'verify-ca' || c.sslmode === 'verify-full';
  const options: tls.ConnectionOptions = {
    socket: raw,
    // SNI takes a name only; an address there is a warning on stderr from Node.
    ...(net.isIP(c.host) ? {} : { servername: c.host }),
    rejectUnauthorized: verify,
    ...(c.sslRootCert === undefined ? {} : { ca: c.sslRootCert }),
    ...(c.sslCert === undefined ? {} : { cert: c.sslCert }),
    ...(c.sslKey === undefined ? {} : { key: c.sslKey }),
    // verify-ca checks the chain only; verify-full also that the certificate names the host (or address) connected to.
    checkServerIdentity: c.sslmode === 'verify-full' ? (_name, cert) => tls.checkServerIdentity(c.host, cert) : () => undefined,
  };
  const s = tls.connect(options);
  return settled(s, (resolve, reject) => ({
    error: (e: Error) => {
      s.destroy();
      reject(e);
    },
    secureConnect: () => resolve(s),
  }));
}
