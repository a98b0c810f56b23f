// A server's token check (src/serve/auth.ts) on a real SQLite log: a token it
// has looked up is answered from memory, without a promise (the request hook
// then goes on in the same turn), and a revoked token still stops working once
// its cached answer is older than CACHE_MS. Only Date is faked, so "older" is a fact.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newToken, tokenHash } from '../src/commands/token/token.js';
import { closeLogs, openLog } from '../src/log/log.js';
import { tokenAuth } from '../src/serve/auth.js';
import { tempDir } from './helpers/cli.js';

const dir = tempDir();

afterEach(async () => {
  vi.useRealTimers();
  await closeLogs();
});

describe('tokenAuth', () => {
  it('answers a known token at once, and a revoked one with null once its cached answer is old', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const log = await openLog(join(dir, 'auth.db'));
    const token = newToken();
    const id = await log.addToken('ana', 'check', tokenHash(token));
    const auth = tokenAuth(log, 60);

    const first = auth.caller(token);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ rep: 'ana', scope: 'check', tokenId: id });
    // Known now: the same caller, not a promise of it.
    expect(auth.caller(token)).toEqual({ rep: 'ana', scope: 'check', tokenId: id });

    expect(await log.revokeToken(id)).toBe(true);
    vi.advanceTimersByTime(1999);
    expect(auth.caller(token)).toEqual({ rep: 'ana', scope: 'check', tokenId: id });
    vi.advanceTimersByTime(1);
    expect(await auth.caller(token)).toBeNull();
    // An unknown token is looked up, and refused.
    expect(await auth.caller(newToken())).toBeNull();
    expect(auth.caller(null)).toBeNull();
  });
});
