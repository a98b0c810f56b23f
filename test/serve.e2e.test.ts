// promise serve over real HTTP, on a SQLite file and on PostgreSQL: the API
// answers what the CLI answers, records the token's rep, refuses bad input with
// RFC 9457 problems, and works beside reps using the CLI on the same log.
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { call, company, raw, serve } from './helpers/served.js';
import { freshDatabase } from './helpers/teamLog.js';

const PUMPS = (qty: number) => ({ sku: 'PUMP-100', qty, to: 'DE', by: '2026-12-04' });

describe.each([
  { name: 'SQLite', log: async () => undefined },
  { name: 'PostgreSQL', log: async () => freshDatabase() },
])('the API on $name', ({ log }) => {
  it('checks, commits an alternative, refuses a second commit of the same stock (409), and the CLI sees it all', async () => {
    const c = company(await log());
    const ana = c.token('ana', 'commit');
    const s = await serve(c.args);
    try {
      const checked = await call(`${s.url}v1/checks`, ana, 'POST', PUMPS(500));
      expect(checked.status).toBe(200);
      const cli = runCli([
        'check',
        ...c.args.filter((a) => a !== c.log && a !== '--log'),
        '--no-log',
        '--json',
        '--sku',
        'PUMP-100',
        '--qty',
        '500',
        '--to',
        'DE',
        '--by',
        '2026-12-04',
      ]);
      // The very answer `promise check --json` gives, with the id of the recorded check.
      expect({ ...checked.json, id: null }).toEqual(JSON.parse(cli.stdout));
      expect(checked.json).toMatchObject({ id: 1, verdict: 'infeasible', alternatives: [{ kind: 'max_quantity' }] });

      const committed = await call(`${s.url}v1/checks/1/commit`, ana, 'POST', { alternative: 1, note: 'dock 4' });
      expect(committed.status).toBe(200);
      expect(committed.json).toMatchObject({ id: 1, committed: true, promise: { qty: 120 } });

      // A rep at the CLI and one on the API check the same 30 at rotterdam (40 there): both fit, until one commits.
      const early = runCli(['check', ...c.args, '--json', '--sku', 'PUMP-100', '--qty', '30', '--to', 'DE', '--by', '2026-12-04', '--from', 'rotterdam']);
      const earlyId = JSON.parse(early.stdout).id as number;
      const conflict = await call(`${s.url}v1/checks`, ana, 'POST', { ...PUMPS(30), from: 'rotterdam' });
      expect(conflict.json.verdict).toBe('feasible');
      // No body at all is a commit with no terms.
      expect((await call(`${s.url}v1/checks/${earlyId}/commit`, ana, 'POST')).status).toBe(200);
      const second = await call(`${s.url}v1/checks/${conflict.json.id}/commit`, ana, 'POST', {});
      expect(second.status).toBe(409);
      expect(second.json).toMatchObject({ status: 409, reason: 'rotterdam has only 10 PUMP-100 available to promise on 2026-11-25, 30 needed' });
      const raced = runCli(['check', ...c.args, '--json', '--sku', 'SEAL-KIT', '--qty', '1', '--to', 'DE', '--by', '2026-12-18']);
      const racedId = JSON.parse(raced.stdout).id as number;
      expect((await call(`${s.url}v1/checks/${racedId}/commit`, ana, 'POST', {})).status).toBe(200);
      const twice = await call(`${s.url}v1/checks/${racedId}/commit`, ana, 'POST', {});
      expect(twice.status).toBe(409);
      expect(twice.json).toMatchObject({ type: 'about:blank', title: 'Conflict', status: 409, detail: `check ${racedId} is already committed` });

      const one = await call(`${s.url}v1/checks/1`, ana);
      expect(one.json).toMatchObject({ id: 1, rep: 'ana', status: 'open', alternative: 1 });
      const open = await call(`${s.url}v1/checks?status=open`, ana);
      expect(
        open.json.map((r: { id: number; status: string }) => `${r.id} ${r.status}`),
        JSON.stringify(open.json.map((r: { id: number; status: string; recorded_at: string }) => [r.id, r.status, r.recorded_at])),
      ).toEqual([racedId, earlyId, 1].map((id) => `${id} open`));
      // The CLI reads what the server wrote, and the rep recorded is the token's.
      const listed = JSON.parse(runCli(['log', '--json', ...c.args]).stdout) as { id: number; rep: string }[];
      expect(listed.find((r) => r.id === 1)?.rep).toBe('ana');
      expect(listed.find((r) => r.id === earlyId)?.rep).toBe('tester');

      const ics = await call(`${s.url}v1/handoff`, ana, 'GET', undefined, { accept: 'text/calendar' });
      expect(ics.headers.get('content-type')).toContain('text/calendar');
      expect(ics.text).toContain('BEGIN:VCALENDAR');
      const csv = await call(`${s.url}v1/handoff`, ana, 'GET', undefined, { accept: 'text/csv' });
      expect(csv.text.split('\n')[0]).toContain('ship_date');
      const preferred = await call(`${s.url}v1/handoff`, ana, 'GET', undefined, { accept: 'text/csv;q=0.5, application/json' });
      expect(preferred.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect((await call(`${s.url}v1/handoff`, ana, 'GET', undefined, { accept: 'image/png' })).status).toBe(406);
      expect((await call(`${s.url}v1/handoff?from=berlin`, ana)).json).toEqual(expect.arrayContaining([expect.objectContaining({ id: 1, note: 'dock 4' })]));
      expect((await call(`${s.url}v1/stats?by=rep`, ana)).json.groups.map((g: { group: string }) => g.group).sort()).toEqual(['ana', 'tester']);
      expect((await call(`${s.url}v1/recheck`, ana)).json).toHaveLength(3);
      expect((await call(`${s.url}v1/capabilities?region=DE&sku=PUMP-100`, ana)).json.products[0].sku).toBe('PUMP-100');
      // An empty JSON body (curl -H content-type:application/json) is no body.
      expect((await call(`${s.url}v1/checks/${earlyId}/release`, ana, 'POST', '')).json).toEqual({ id: earlyId, status: 'released' });
      expect((await call(`${s.url}v1/checks/${racedId}/outcome`, ana, 'POST', { status: 'met', on: '2026-11-23' })).json).toMatchObject({
        id: racedId,
        status: 'met',
      });
      expect(runCli(['log', 'verify', ...c.args]).code).toBe(0);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('a server SIGKILLed under load loses no check it answered 200', async () => {
    const c = company(await log());
    const ana = c.token('ana', 'check');
    const s = await serve(c.args);
    const answered: { id: number; verdict: string; promise: { qty: number } }[] = [];
    let n = 0;
    const worker = async () => {
      for (;;) {
        try {
          const r = await call(`${s.url}v1/checks`, ana, 'POST', PUMPS(1 + (n++ % 300)));
          if (r.status === 200) answered.push(r.json);
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    while (answered.length < 300) await new Promise((r) => setTimeout(r, 20));
    s.child.kill('SIGKILL');
    await Promise.all(workers);
    const listed = JSON.parse(runCli(['log', '--json', '--limit', '100000', ...c.args]).stdout) as { id: number; verdict: string; promise: { qty: number } }[];
    const byId = new Map(listed.map((r) => [r.id, r]));
    for (const a of answered) expect(byId.get(a.id), `check ${a.id}`).toMatchObject({ verdict: a.verdict, promise: { qty: a.promise.qty } });
    expect(new Set(answered.map((a) => a.id)).size).toBe(answered.length);
    expect(runCli(['log', 'verify', ...c.args]).code).toBe(0);
  });

  it('a token: missing or wrong is 401 alike, a scope too small 403; the rep is never a field of the request', async () => {
    const c = company(await log());
    const reader = c.token('rita', 'read');
    const checker = c.token('carl', 'check');
    const s = await serve(c.args);
    try {
      const none = await call(`${s.url}v1/checks`, null);
      const wrong = await call(`${s.url}v1/checks`, `${reader}x`);
      expect(none.status).toBe(401);
      expect(wrong.json).toEqual(none.json);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect((await call(`${s.url}v1/checks`, reader, 'POST', PUMPS(1))).status).toBe(403);
      expect((await call(`${s.url}v1/checks`, checker, 'POST', PUMPS(1))).status).toBe(200);
      expect((await call(`${s.url}v1/checks/1/commit`, checker, 'POST', {})).status).toBe(403);
      const spoof = await call(`${s.url}v1/checks`, checker, 'POST', { ...PUMPS(1), rep: 'boss' });
      expect(spoof.status).toBe(400);
      expect(spoof.json.errors).toEqual([{ field: 'rep', message: 'unknown field "rep"' }]);
      expect((await call(`${s.url}healthz`, null)).json).toEqual({ ok: true });
      const revoked = runCli(['token', 'revoke', '2', '--log', c.log]);
      expect(revoked.code, revoked.stderr).toBe(0);
      await new Promise((r) => setTimeout(r, 2100));
      expect((await call(`${s.url}v1/checks`, checker)).status).toBe(401);
      // One JSON line per request, with the rep, never the token.
      const lines = await s.logged((ls) => ls.some((l) => l.route === '/v1/checks' && l.status === 401));
      expect(lines.find((l) => l.route === '/v1/checks' && l.method === 'POST' && l.status === 200)).toMatchObject({ rep: 'carl', check_id: 1 });
      expect(s.stderr()).not.toContain(checker);
    } finally {
      await s.stop();
    }
  });
});

describe('several servers on one PostgreSQL log', () => {
  it('never promise the same units twice: 20 commits of 10 against 120 through two servers, exactly 12 hold', async () => {
    const c = company(await freshDatabase());
    const ana = c.token('ana', 'commit');
    const [a, b] = [await serve(c.args), await serve(c.args)];
    try {
      const ids: number[] = [];
      for (let i = 0; i < 20; i++) ids.push((await call(`${(i % 2 ? a : b).url}v1/checks`, ana, 'POST', { ...PUMPS(10), from: 'berlin' })).json.id);
      const commits = await Promise.all(ids.map((id, i) => call(`${(i % 2 ? b : a).url}v1/checks/${id}/commit`, ana, 'POST', {})));
      expect(commits.filter((r) => r.status === 200)).toHaveLength(12);
      const refused = commits.filter((r) => r.status === 409);
      expect(refused).toHaveLength(8);
      for (const r of refused) expect(r.json.reason).toMatch(/^berlin has only \d+ PUMP-100 available to promise on 2026-11-24, 10 needed$/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('bad input', () => {
  it('is 400 with an RFC 9457 problem in the CLI words; over 1 MiB is 413; never a stack trace', async () => {
    const c = company();
    const ana = c.token('ana', 'check');
    const s = await serve(c.args);
    try {
      const typo = await call(`${s.url}v1/checks`, ana, 'POST', { ...PUMPS(1), qtx: 2 });
      expect(typo.status).toBe(400);
      expect(typo.headers.get('content-type')).toContain('application/problem+json');
      expect(typo.json).toEqual({
        type: 'about:blank',
        title: 'Bad request',
        status: 400,
        detail: 'unknown field "qtx" (did you mean "qty"?)',
        errors: [{ field: 'qtx', message: 'unknown field "qtx" (did you mean "qty"?)' }],
      });
      const qty = await call(`${s.url}v1/checks`, ana, 'POST', { ...PUMPS(1), qty: 1.5 });
      expect(qty.json.errors).toEqual([{ field: 'qty', message: 'qty must be a whole number' }]);
      const date = await call(`${s.url}v1/checks`, ana, 'POST', { ...PUMPS(1), by: 'someday' });
      expect(date.json.detail).toBe('by: "someday" is not a date (use YYYY-MM-DD, today, +10d, +3w, friday, or "5 December")');
      const region = await call(`${s.url}v1/checks`, ana, 'POST', { ...PUMPS(1), to: 'Mars' });
      expect(region.status).toBe(200);
      expect(region.json.verdict).toBe('infeasible');
      expect((await call(`${s.url}v1/checks`, ana, 'POST', '{"sku":')).json).toMatchObject({ status: 400 });
      const plain = await call(`${s.url}v1/checks`, ana, 'POST', JSON.stringify(PUMPS(1)), { 'content-type': 'text/plain' });
      expect([plain.status, plain.json.detail]).toEqual([415, 'send application/json']);
      expect((await call(`${s.url}v1/checks`, ana, 'POST', '')).json).toMatchObject({ status: 400 });
      expect((await call(`${s.url}v1/checks/abc`, ana)).json).toMatchObject({ status: 400, detail: 'the check id must be a whole number' });
      expect((await call(`${s.url}v1/checks?limit=0`, ana)).json).toMatchObject({ status: 400, detail: 'limit must be 1 to 100000' });
      const release = await call(`${s.url}v1/checks/1/release`, c.token('ana', 'commit'), 'POST', { bogus: 1 });
      expect([release.status, release.json.detail]).toEqual([400, 'unknown field "bogus"']);
      // The nearest name is one the route knows, not a promise's field.
      const outcome = await call(`${s.url}v1/checks/1/outcome`, c.token('ana', 'commit'), 'POST', { status: 'met', nte: 'x' });
      expect(outcome.json.detail).toBe('unknown field "nte" (did you mean "note"?)');
      expect((await call(`${s.url}v1/checks?skus=PUMP-100`, ana)).json.detail).toBe('unknown field "skus" (did you mean "sku"?)');
      expect((await call(`${s.url}v1/recheck?apply=1`, ana)).json).toMatchObject({ status: 400, detail: 'unknown field "apply"' });
      const line = await call(`${s.url}v1/checks`, ana, 'POST', { lines: [{ sku: 'PUMP-100', qty: 1, qtty: 1 }], to: 'DE', by: '2026-12-04' });
      expect(line.json.errors).toEqual([{ field: 'lines.0.qtty', message: 'unknown field "qtty" (did you mean "qty"?)' }]);
      const text = await call(`${s.url}v1/checks`, ana, 'POST', { lines: 'PUMP-100:5', to: 'DE', by: '2026-12-04' });
      expect(text.json.detail).toBe('lines must be a list of { sku, qty }');
      expect((await call(`${s.url}v1/checks/99`, ana)).json).toMatchObject({ status: 404, detail: `no check 99 in ${c.log}` });
      const big = await call(`${s.url}v1/checks`, ana, 'POST', JSON.stringify({ ...PUMPS(1), customer: 'x'.repeat(1024 * 1024) }));
      expect(big.status).toBe(413);
      expect(big.json.detail).toBe('the request body is over 1 MiB');
      expect((await call(`${s.url}nowhere`, ana)).json).toMatchObject({ status: 404 });
      const url = await call(`${s.url}v1/checks/%zz`, ana);
      expect([url.status, url.headers.get('content-type'), url.json.detail]).toEqual([
        400,
        'application/problem+json; charset=utf-8',
        'the URL cannot be read: /v1/checks/%zz',
      ]);
      expect(await raw(s.url, 'NOT HTTP\r\n\r\n')).toMatch(
        /^HTTP\/1\.1 400 Bad Request\r\nContent-Type: application\/problem\+json\r\n[\s\S]*"detail":"not an HTTP request this server can read \(HPE_/,
      );
      expect(await raw(s.url, `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`)).toMatch(
        /^HTTP\/1\.1 431 [\s\S]*"detail":"the request headers are over 16 KiB"/,
      );
      for (const r of [typo, qty, date, big]) expect(r.text).not.toMatch(/\bat .*\.js:\d+/);
      // Each is in the request log, the unreadable URL with its route unknown, the bytes that were not HTTP with no method.
      const lines = await s.logged((ls) => ls.some((l) => l.status === 431));
      expect(lines).toContainEqual(expect.objectContaining({ method: 'GET', route: '/v1/checks/%zz', status: 400 }));
      expect(lines).toContainEqual(expect.objectContaining({ method: null, status: 431, error: 'the request headers are over 16 KiB' }));
    } finally {
      await s.stop();
    }
  });
});

/** The sign-in page's pre-session cookie and the CSRF token its form repeats. */
function signInForm(html: string, headers: Headers): { cookie: string; csrf: string } {
  expect(html).toContain('<input id="token" name="token" type="password"');
  const set = headers.getSetCookie().find((c) => c.startsWith('promise_login='))!;
  expect(set).toMatch(/^promise_login=[\w-]{32}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=3600$/);
  const csrf = /<form method="post" action="\/login"><input type="hidden" name="csrf" value="([^"]+)">/.exec(html)![1]!;
  return { cookie: set.split(';')[0]!, csrf };
}

describe('the page', () => {
  it('login CSRF: a sign-in without the pre-session cookie and token of the form, or posted from another site, signs no one in', async () => {
    const c = company();
    const ana = c.token('ana', 'commit');
    const s = await serve(c.args);
    const host = new URL(s.url).host;
    const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${s.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
      });
    const signedIn = (r: Response) => r.headers.getSetCookie().some((k) => k.startsWith('promise_token=prm_'));
    try {
      const page = await fetch(s.url);
      const { cookie, csrf } = signInForm(await page.text(), page.headers);
      // Another site's form: the attacker's own valid token, but not the rep's pre-session cookie.
      for (const forged of [
        post('login', { token: ana }),
        post('login', { token: ana, csrf }),
        post('login', { token: ana, csrf: 'forged' }, { cookie }),
        post('login', { token: ana }, { cookie }),
        post('login', { token: ana, csrf }, { cookie, origin: 'http://evil.example' }),
        post('login', { token: ana, csrf }, { cookie, 'sec-fetch-site': 'cross-site' }),
        post('login', { token: ana, csrf }, { cookie, 'sec-fetch-site': 'same-site' }),
      ]) {
        const r = await forged;
        expect(r.status).toBe(403);
        expect(signedIn(r)).toBe(false);
      }
      const expired = await post('login', { token: ana, csrf: 'forged' }, { cookie });
      expect(await expired.text()).toContain('This sign-in form has expired or did not come from this page: sign in again.');
      // The page's own form, as Chromium posts it (Origin "null" under the page's Referrer-Policy no-referrer).
      const ok = await post('login', { token: ana, csrf }, { cookie, origin: 'null', 'sec-fetch-site': 'same-origin' });
      expect(ok.status).toBe(303);
      expect(signedIn(ok)).toBe(true);
      // Signed in, a form of the page posted from another site is refused too, even with the right CSRF token.
      const session = ok.headers.getSetCookie()[0]!.split(';')[0]!;
      const home = await (await fetch(s.url, { headers: { cookie: session } })).text();
      const formCsrf = /name="csrf" value="([^"]+)"/.exec(home)![1]!;
      const fields = { kind: 'delivery', 'delivery-sku': 'PUMP-100', 'delivery-qty': '5', 'delivery-to': 'DE', 'delivery-by': '2026-12-04', csrf: formCsrf };
      expect((await post('check', fields, { cookie: session, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect((await post('check', fields, { cookie: session, origin: 'http://evil.example' })).status).toBe(403);
      expect((await post('check', fields, { cookie: session, origin: `http://${host}` })).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('asks for the token once, keeps it in an HttpOnly SameSite=Strict cookie, and refuses a form without its CSRF token', async () => {
    const c = company();
    const ana = c.token('ana', 'commit');
    const s = await serve(c.args);
    const form = (path: string, fields: Record<string, string>, cookie?: string) =>
      fetch(`${s.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
        body: new URLSearchParams(fields).toString(),
      });
    try {
      const signIn = await fetch(s.url);
      const { cookie: pre, csrf: loginCsrf } = signInForm(await signIn.text(), signIn.headers);
      expect(signIn.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'/,
      );
      expect((await form('login', { token: `${ana}x`, csrf: loginCsrf }, pre)).status).toBe(401);
      const login = await form('login', { token: ana, csrf: loginCsrf }, pre);
      expect(login.status).toBe(303);
      const [setCookie, cleared] = login.headers.getSetCookie();
      expect(setCookie).toMatch(/^promise_token=prm_[^;]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800$/);
      expect(cleared).toBe('promise_login=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
      const cookie = setCookie!.split(';')[0]!;
      const home = await (await fetch(s.url, { headers: { cookie } })).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(home)![1]!;
      const fields = { kind: 'delivery', 'delivery-sku': 'PUMP-100', 'delivery-qty': '5', 'delivery-to': 'DE', 'delivery-by': '2026-12-04' };
      // Another site can make the browser post, but cannot know the CSRF token.
      expect((await form('check', fields, cookie)).status).toBe(403);
      expect((await form('check', { ...fields, csrf: 'forged' }, cookie)).status).toBe(403);
      const checked = await form('check', { ...fields, csrf }, cookie);
      expect(checked.status).toBe(200);
      expect(await checked.text()).toContain('<h1 id="verdict" class="verdict feasible" tabindex="-1">Yes: you can promise this</h1>');
      const bad = await form('check', { ...fields, 'delivery-qty': 'many', csrf }, cookie);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('<div class="alert" role="alert" id="error">qty must be a whole number</div>');
      const committed = await form('commit', { id: '1', hold_until: '2026-11-27', csrf }, cookie);
      expect(await committed.text()).toContain('Check #1, held as a quote until 2026-11-27: 5 × PUMP-100 to DE by 2026-12-04.');
      expect(JSON.parse(runCli(['log', '--json', ...c.args]).stdout)[0]).toMatchObject({ id: 1, rep: 'ana', status: 'held', hold_until: '2026-11-27' });
      // A conflict is a conflict on the page too (409, as the API), in the CLI's words.
      const twice = await form('commit', { id: '1', csrf }, cookie);
      expect(twice.status).toBe(409);
      expect(await twice.text()).toMatch(/<div class="alert" role="alert">check 1 is already held/);
      // The cookie opens only the page: the API wants the token in Authorization.
      expect((await fetch(`${s.url}v1/checks`, { headers: { cookie } })).status).toBe(401);
      // A token that may only read is shown no form it would be refused.
      const readOnly = await (await fetch(s.url, { headers: { cookie: `promise_token=${c.token('rita', 'read')}` } })).text();
      expect(readOnly).toContain('<h1>This token can read only</h1>');
      expect(readOnly).not.toContain('action="/check"');
      expect(home).toContain('action="/check"');
    } finally {
      await s.stop();
    }
  });
});

describe('running it', () => {
  it('a request whose body stalls is answered 408 after 30 s, as a problem, and logged (it was cut at 60 s, unanswered)', async () => {
    const c = company();
    const s = await serve(c.args);
    try {
      const start = Date.now();
      const stalled = `POST /v1/checks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${c.token('ana', 'check')}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sku":`;
      const answer = await raw(s.url, stalled, { end: false });
      const seconds = (Date.now() - start) / 1000;
      expect(answer).toMatch(
        /^HTTP\/1\.1 408 Request Timeout\r\nContent-Type: application\/problem\+json\r\n[\s\S]*"detail":"the request did not arrive whole within 30 s"/,
      );
      expect(seconds).toBeGreaterThanOrEqual(30);
      expect(seconds).toBeLessThan(40);
      expect(await s.logged((ls) => ls.some((l) => l.status === 408))).toContainEqual(expect.objectContaining({ method: null, status: 408 }));
    } finally {
      await s.stop();
    }
  });

  it('cannot listen, or a --now that does not read: one line, exit 2 (it exited 0 in silence when it could not listen)', async () => {
    const c = company();
    const unassigned = runCli(['serve', '--host', '203.0.113.5', '--port', '0', ...c.args]);
    expect([unassigned.code, unassigned.stderr]).toEqual([
      2,
      'promise: cannot listen on 203.0.113.5:0: listen EADDRNOTAVAIL: address not available 203.0.113.5\n',
    ]);
    const s = await serve(c.args);
    try {
      const port = new URL(s.url).port;
      const taken = runCli(['serve', '--port', port, ...c.args]);
      expect([taken.code, taken.stderr]).toEqual([
        2,
        `promise: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
      ]);
    } finally {
      await s.stop();
    }
    for (const command of ['serve', 'mcp']) {
      const now = runCli([command, ...c.args, '--now', 'garbage', ...(command === 'serve' ? ['--port', '0'] : [])]);
      expect([now.code, now.stderr]).toEqual([2, 'promise: --now: "garbage" is not an ISO 8601 date-time (e.g. 2026-11-23T10:00)\n']);
    }
  });

  it('--no-auth only on loopback; there every request acts as --rep, and must name this machine (DNS rebinding)', async () => {
    const c = company();
    const refused = runCli(['serve', '--no-auth', '--host', '0.0.0.0', '--port', '0', ...c.args]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('promise: --no-auth is refused on 0.0.0.0: only on a loopback address (127.0.0.1, ::1, localhost)\n');
    const s = await serve(['--no-auth', '--rep', 'desk', ...c.args]);
    try {
      expect((await call(`${s.url}v1/checks`, null, 'POST', PUMPS(1))).json.id).toBe(1);
      expect((await call(`${s.url}v1/checks/1`, null)).json.rep).toBe('desk');
      // DNS rebinding: a page of another site whose name now points here names itself in Host or Origin.
      const port = new URL(s.url).port;
      const raw = (headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = request(`${s.url}v1/checks/1`, { headers }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await raw({ host: `evil.example:${port}` })).toBe(403);
      expect(await raw({ host: `127.0.0.1:${port}`, origin: `http://evil.example:${port}` })).toBe(403);
      expect(await raw({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).toBe(200);
      expect(await raw({ host: `[::1]:${port}` })).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('per-token rate limit, and per address for wrong tokens: 429 with Retry-After past --rate per minute', async () => {
    const c = company();
    const ana = c.token('ana', 'read');
    const bob = c.token('bob', 'read');
    const s = await serve(['--rate', '3', ...c.args]);
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await call(`${s.url}v1/checks`, ana)).status);
      expect(codes).toEqual([200, 200, 200, 429]);
      const limited = await call(`${s.url}v1/checks`, ana);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call(`${s.url}v1/checks`, bob)).status).toBe(200);
      // Wrong tokens count per address: past the rate, 429 rather than another look-up; a valid token still goes.
      const wrong = [];
      for (let i = 0; i < 4; i++) wrong.push(await call(`${s.url}v1/checks`, `prm_wrong${i}`));
      expect(wrong.map((r) => r.status)).toEqual([401, 401, 401, 429]);
      expect(wrong[3]!.json.detail).toMatch(/^too many requests without a valid token from this address; try again in \d+ s$/);
      expect((await call(`${s.url}v1/checks`, bob)).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('reloads the capabilities when the file changes; a bad edit keeps the last good version and shows on /readyz', async () => {
    const c = company();
    const ana = c.token('ana', 'check');
    const s = await serve(c.args);
    const until = async (ok: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 100));
    };
    try {
      const before = await call(`${s.url}v1/checks`, ana, 'POST', PUMPS(200));
      expect(before.json.verdict).toBe('infeasible');
      const text = readFileSync(c.capabilities, 'utf8');
      writeFileSync(c.capabilities, text.replace('on_hand: 120', 'on_hand: 400'));
      await until(async () => (await call(`${s.url}readyz`, ana)).json.capabilities.sha256 !== before.json.capabilities_sha256);
      const after = await call(`${s.url}v1/checks`, ana, 'POST', PUMPS(200));
      expect(after.json.verdict).toBe('feasible');
      writeFileSync(c.capabilities, text.replace('on_hand: 120', 'on_hand: lots'));
      await until(async () => (await call(`${s.url}readyz`, ana)).json.capabilities.problem !== null);
      const ready = await call(`${s.url}readyz`, ana);
      expect(ready.status).toBe(200);
      expect(ready.json.capabilities).toMatchObject({ sha256: after.json.capabilities_sha256, problem: expect.stringContaining(`${c.capabilities}:`) });
      const still = await call(`${s.url}v1/checks`, ana, 'POST', PUMPS(200));
      expect(still.json).toMatchObject({ verdict: 'feasible', capabilities_sha256: after.json.capabilities_sha256 });
      expect(s.stderr()).toContain('still serving the last good version');
      writeFileSync(c.capabilities, text);
      await until(async () => (await call(`${s.url}readyz`, ana)).json.capabilities.problem === null);
      expect((await call(`${s.url}readyz`, ana)).json.capabilities.sha256).toBe(before.json.capabilities_sha256);
    } finally {
      await s.stop();
    }
  });

  it('/openapi.json is valid OpenAPI 3.1, generated from the schemas that validate requests', async () => {
    const c = company();
    const ana = c.token('ana', 'read');
    const s = await serve(c.args);
    try {
      const doc = (await call(`${s.url}openapi.json`, ana)).json;
      expect(doc.openapi).toBe('3.1.0');
      await SwaggerParser.validate(structuredClone(doc));
      const body = doc.paths['/v1/checks'].post.requestBody.content['application/json'].schema;
      expect(body.additionalProperties).toBe(false);
      expect(Object.keys(body.properties)).toEqual(
        expect.arrayContaining(['sku', 'qty', 'lines', 'to', 'by', 'service', 'response_hours', 'hours', 'customer']),
      );
      // Each date field keeps its own description (they once shared one schema object, and the last description).
      const on = doc.paths['/v1/checks/{id}/outcome'].post.requestBody.content['application/json'].schema.properties.on;
      expect(on.description).toBe("when it happened (default today in the company's zone)");
      const since = doc.paths['/v1/checks'].get.parameters.find((p: { name: string }) => p.name === 'since');
      expect(since.description).toBe('recorded on or after this date');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/v1/checks',
          '/v1/checks/{id}',
          '/v1/checks/{id}/commit',
          '/v1/checks/{id}/confirm',
          '/v1/checks/{id}/release',
          '/v1/checks/{id}/outcome',
          '/v1/capabilities',
          '/v1/handoff',
          '/v1/stats',
          '/v1/recheck',
        ]),
      );
    } finally {
      await s.stop();
    }
  });

  it('SIGTERM: requests in flight finish, then it exits 0', async () => {
    const c = company();
    const ana = c.token('ana', 'check');
    const s = await serve(c.args);
    const inFlight = Array.from({ length: 20 }, () => call(`${s.url}v1/checks`, ana, 'POST', PUMPS(1)));
    // Stopped once the server is answering: the others are on their way or being checked.
    await Promise.race(inFlight);
    const code = s.stop();
    const answers = await Promise.allSettled(inFlight);
    expect(await code).toBe(0);
    const ok = answers.filter((a) => a.status === 'fulfilled' && a.value.status === 200).length;
    expect(ok).toBeGreaterThan(0);
    // Every other answer is a refusal to start (503), never a failure half-way.
    for (const a of answers)
      if (a.status === 'fulfilled' && a.value.status !== 200)
        expect([a.value.status, a.value.json?.detail]).toEqual([503, 'the server is stopping: send the request again']);
    const listed = JSON.parse(runCli(['log', '--json', ...c.args]).stdout) as unknown[];
    expect(listed.length).toBe(ok);
  });
});
