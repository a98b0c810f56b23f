// Who may use the server: a Bearer token (or, for the page, the same token in
// an HttpOnly cookie) whose SHA-256 is in the log, and how fast. The rep and
// scope come from the token's row, never from the request.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { tokenHash } from '../commands/token/token.js';
import type { Log } from '../log/log.js';
import type { Caller } from './ops.js';

/** A revoked token stops working within this. */
const CACHE_MS = 2000;

export interface Authenticator {
  /** The caller a token stands for; null when missing, unknown or revoked (the 401 does not say which). Not a promise when it is known. */
  caller(token: string | null): Caller | null | Promise<Caller | null>;
  /** Seconds to wait before the next request, 0 if it may go now (and it is counted). */
  limited(caller: Caller, ip: string): number;
  /** A token refused from `ip`: seconds to wait before the next try (429, not 401), 0 if not over the limit (it is counted). */
  refused(ip: string): number;
}

export const bearerOf = (header: string | undefined): string | null => {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
};

/** Per-token buckets: `perMinute` requests, refilled continuously. */
function rateLimiter(perMinute: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key: string): number => {
    const now = Date.now();
    // A full bucket is the same as none: forget those, so addresses (--no-auth) or revoked tokens do not pile up.
    if (buckets.size > 1000) for (const [k, x] of buckets) if (x.tokens + ((now - x.at) / 60_000) * perMinute >= perMinute) buckets.delete(k);
    const b = buckets.get(key) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) / 60_000) * perMinute);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / perMinute) * 60);
  };
}

export function tokenAuth(log: Log, perMinute: number): Authenticator {
  // By the token itself: its SHA-256 on every request was a tenth of the hook's time. Looked up again after CACHE_MS.
  const cache = new Map<string, { caller: Caller | null; at: number }>();
  const limit = rateLimiter(perMinute);
  const lookUp = async (token: string): Promise<Caller | null> => {
    const row = await log.tokenByHash(tokenHash(token));
    const caller = row ? { rep: row.rep, scope: row.scope, tokenId: row.id } : null;
    // Unknown tokens go first: a client spraying them cannot push the known ones out.
    if (cache.size > 10_000) for (const [k, v] of cache) if (v.caller === null) cache.delete(k);
    if (cache.size > 10_000) cache.clear();
    cache.set(token, { caller, at: Date.now() });
    return caller;
  };
  return {
    caller(token) {
      if (!token || token.length > 200) return null;
      const hit = cache.get(token);
      if (hit && Date.now() - hit.at < CACHE_MS) return hit.caller;
      return lookUp(token);
    },
    limited: (caller) => limit(`token:${caller.tokenId}`),
    // Refusals count per address against the same rate: each costs a SHA-256 and a look-up in the log.
    refused: (ip) => limit(`refused:${ip}`),
  };
}

/** --no-auth (loopback only): everyone is `rep` with every scope; the limit is per address. */
export function noAuth(rep: string, perMinute: number): Authenticator {
  const limit = rateLimiter(perMinute);
  return {
    caller: () => ({ rep, scope: 'commit', tokenId: null }),
    limited: (_caller, ip) => limit(`ip:${ip}`),
    refused: () => 0,
  };
}

/** The page's CSRF token: derived from the session token, so only a page that could read it (ours) can send it. */
export const csrfOf = (token: string): string => createHmac('sha256', token).update('promise page csrf').digest('base64url');

export function csrfMatches(token: string, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const want = Buffer.from(csrfOf(token));
  const got = Buffer.from(sent);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Hosts that only this machine can reach: where --no-auth is allowed. */
export const isLoopback = (host: string): boolean => host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '[::1]';
