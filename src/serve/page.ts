// The page for reps who never open a terminal: plain HTML forms posted to the
// server (no JavaScript, no external resources), usable with the keyboard alone
// and on a phone. The token is asked once and kept in an HttpOnly, SameSite=Strict
// cookie; every form carries a CSRF token derived from it. The sign-in form too
// (login CSRF: another site must not sign a rep in with its own token): it
// carries a token that must match a pre-session cookie, and page posts from
// another site (Origin, Sec-Fetch-Site) are refused.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type CheckJson, describePlan, describePromise } from '../cli/render.js';
import type { SalesPromise } from '../core/promise.js';
import { Failure } from '../errors.js';
import type { AppOptions } from './app.js';
import { csrfMatches, csrfOf } from './auth.js';
import { allows, type Caller, capabilitiesSheet, checkPromise, commitCheck, statusOf } from './ops.js';

const COOKIE = 'promise_token';
const COOKIE_MAX_AGE = 8 * 3600;
/** The pre-session cookie of the sign-in form (a random value its hidden field repeats). */
const LOGIN_COOKIE = 'promise_login';
const LOGIN_MAX_AGE = 3600;

const CSS = `
*{box-sizing:border-box}body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
nav{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;border-bottom:1px solid #ccc;padding-bottom:.5rem}
fieldset{border:1px solid #bbb;border-radius:.4rem;margin:1rem 0;padding:.75rem}legend{font-weight:600;padding:0 .3rem}
label{display:block;margin:.5rem 0 .15rem;font-weight:500}
input,textarea,select{width:100%;font:inherit;padding:.55rem;border:1px solid #777;border-radius:.3rem}
button{font:inherit;padding:.6rem 1rem;margin-top:.75rem;border:0;border-radius:.3rem;background:#0b5394;color:#fff;cursor:pointer;min-height:2.75rem}
button.secondary{background:#555}a{color:#0b5394}
:focus-visible{outline:3px solid #e69138;outline-offset:2px}
.verdict{padding:.75rem 1rem;border-radius:.4rem;border-left:.5rem solid}
.feasible{background:#e6f4ea;border-color:#1e7e34}.at_risk{background:#fff4e0;border-color:#b35c00}.infeasible{background:#fdecea;border-color:#b00020}
.alert{background:#fdecea;border-left:.5rem solid #b00020;padding:.75rem 1rem}
ul.reasons{padding-left:1.2rem}li{margin:.25rem 0}.hint{color:#555;font-size:.9rem}
pre{white-space:pre-wrap;word-break:break-word;background:#f4f4f4;padding:.75rem;border-radius:.3rem}
.row{display:grid;grid-template-columns:1fr 1fr;gap:0 .75rem}@media (max-width:30rem){.row{grid-template-columns:1fr}}
`;
const CSS_HASH = createHash('sha256').update(CSS).digest('base64');
/** No scripts at all, nothing from elsewhere, forms only to here, never in a frame. */
const CSP = `default-src 'none'; style-src 'sha256-${CSS_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, body: string, caller: Caller | null, csrf: string | null): string {
  const nav = caller
    ? `<nav aria-label="main"><a href="/">Check a promise</a><a href="/capabilities">What we can promise</a><span class="hint">Signed in as ${esc(caller.rep)} (${caller.scope})</span>${
        csrf
          ? `<form method="post" action="/logout"><input type="hidden" name="csrf" value="${esc(csrf)}"><button class="secondary" type="submit">Sign out</button></form>`
          : ''
      }</nav>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · promise</title><style>${CSS}</style></head><body>${nav}<main>${body}</main></body></html>`;
}

const field = (name: string, label: string, value: unknown, opts: { required?: boolean; type?: string; hint?: string; inputmode?: string } = {}) =>
  `<label for="${name}">${esc(label)}${opts.required ? '' : ' <span class="hint">(optional)</span>'}</label>` +
  `<input id="${name}" name="${name}" type="${opts.type ?? 'text'}" value="${esc(value)}"${opts.required ? ' required' : ''}${opts.inputmode ? ` inputmode="${opts.inputmode}"` : ''}${opts.hint ? ` aria-describedby="${name}-hint"` : ''}>` +
  (opts.hint ? `<div class="hint" id="${name}-hint">${esc(opts.hint)}</div>` : '');

type Form = Record<string, string>;

function checkForms(csrf: string, v: Form = {}, error: string | null = null): string {
  const kind = v.kind ?? 'delivery';
  const val = (k: string, form: string) => (kind === form ? v[k] : '');
  const hidden = `<input type="hidden" name="csrf" value="${esc(csrf)}">`;
  const by = (form: string) => field(`${form}-by`, 'By (date)', val('by', form), { required: true, hint: 'YYYY-MM-DD, friday, +10d or "5 December"' });
  return `<h1>Check a promise before you make it</h1>
${error ? `<div class="alert" role="alert" id="error">${esc(error)}</div>` : ''}
<form method="post" action="/check"><fieldset><legend>Delivery: one product</legend>${hidden}<input type="hidden" name="kind" value="delivery">
<div class="row"><div>${field('delivery-sku', 'Product (sku)', val('sku', 'delivery'), { required: true })}</div><div>${field('delivery-qty', 'Quantity', val('qty', 'delivery'), { required: true, inputmode: 'numeric' })}</div></div>
<div class="row"><div>${field('delivery-to', 'To (region)', val('to', 'delivery'), { required: true })}</div><div>${by('delivery')}</div></div>
${field('delivery-customer', 'Customer', val('customer', 'delivery'))}
<button type="submit">Check delivery</button></fieldset></form>
<form method="post" action="/check"><fieldset><legend>Order: several products</legend>${hidden}<input type="hidden" name="kind" value="order">
<label for="order-lines">Lines</label><textarea id="order-lines" name="lines" rows="3" required aria-describedby="order-lines-hint">${esc(val('lines', 'order'))}</textarea><div class="hint" id="order-lines-hint">one SKU:QTY a line, e.g. PUMP-100:50</div>
<div class="row"><div>${field('order-to', 'To (region)', val('to', 'order'), { required: true })}</div><div>${by('order')}</div></div>
${field('order-customer', 'Customer', val('customer', 'order'))}
<button type="submit">Check order</button></fieldset></form>
<form method="post" action="/check"><fieldset><legend>Service: a response time</legend>${hidden}<input type="hidden" name="kind" value="service">
<div class="row"><div>${field('service-service', 'Service', val('service', 'service'), { required: true })}</div><div>${field('service-region', 'Region', val('region', 'service'), { required: true })}</div></div>
<div class="row"><div>${field('service-response_hours', 'Response within (business hours)', val('response_hours', 'service'), { required: true, inputmode: 'decimal' })}</div><div>${field('service-hours', 'Hours', val('hours', 'service'), { required: true, hint: '24x7 or like mon-fri 08:00-18:00' })}</div></div>
<button type="submit">Check service</button></fieldset></form>`;
}

const HEADLINE = { feasible: 'Yes: you can promise this', at_risk: 'Possible, but at risk: say so', infeasible: 'No: do not promise this' } as const;
const MARK = (r: { ok: boolean; effect?: string }) => (r.ok ? '✔' : r.effect === 'at_risk' ? '▲' : '✘');

function commitForm(csrf: string, id: number, alternative: number | null, label: string): string {
  const n = alternative ?? 0;
  return `<form method="post" action="/commit"><input type="hidden" name="csrf" value="${esc(csrf)}"><input type="hidden" name="id" value="${id}">${
    alternative ? `<input type="hidden" name="alternative" value="${alternative}">` : ''
  }<details><summary>Hold as a quote or add a note</summary>${field(`hold-${n}`, 'Hold only until (a quote)', '', { hint: 'YYYY-MM-DD; empty: a firm commitment' }).replace(`name="hold-${n}"`, 'name="hold_until"')}${field(`note-${n}`, 'Note for operations', '').replace(`name="note-${n}"`, 'name="note"')}</details><button type="submit">${esc(label)}</button></form>`;
}

function verdictPage(json: CheckJson, csrf: string, canCommit: boolean): string {
  const reasons = json.reasons.map((r) => `<li><span aria-hidden="true">${MARK(r)}</span> ${esc(r.message)}</li>`).join('');
  const alternatives = json.alternatives
    .map((a, i) => `<li><p>${esc(a.summary)}</p>${canCommit && json.id !== null ? commitForm(csrf, json.id, i + 1, `Commit alternative ${i + 1}`) : ''}</li>`)
    .join('');
  return `<h1 id="verdict" class="verdict ${json.verdict}" tabindex="-1">${HEADLINE[json.verdict]}</h1>
<p>${esc(describePromise(json.promise))} <span class="hint">(check #${json.id})</span></p>
${json.plan ? `<p><strong>Plan:</strong> ${esc(describePlan(json.plan))}</p>` : ''}
<h2>Why</h2><ul class="reasons">${reasons}</ul>
${json.verdict !== 'infeasible' && canCommit && json.id !== null ? `<h2>Made it?</h2>${commitForm(csrf, json.id, null, 'Commit this promise')}` : ''}
${json.alternatives.length > 0 ? `<h2>What you can promise instead</h2><ol class="alternatives">${alternatives}</ol>` : json.verdict === 'infeasible' ? '<p>Nothing close to this promise can be made.</p>' : ''}
<p><a href="/">Check another promise</a></p>`;
}

export function pageRoutes(app: FastifyInstance, o: AppOptions): void {
  // A process secret stands in for the token as the CSRF key with --no-auth.
  const noAuthKey = randomBytes(32).toString('base64url');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const send = (reply: FastifyReply, status: number, html: string) =>
    reply
      .code(status)
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);

  const slowDown = (reply: FastifyReply, wait: number, caller: Caller | null) =>
    send(reply.header('retry-after', String(wait)), 429, layout('Slow down', `<h1>Too many requests</h1><p>Try again in ${wait} s.</p>`, caller, null));

  /** The caller of a page request, with the key its forms' CSRF tokens derive from; null: sign in first. */
  async function who(req: FastifyRequest): Promise<{ caller: Caller; key: string } | null> {
    const token = cookieOf(req.headers.cookie);
    const caller = await o.auth.caller(token);
    if (!caller) return null;
    req.caller = caller;
    return { caller, key: caller.tokenId === null ? noAuthKey : token! };
  }

  /**
   * The sign-in form, with a fresh pre-session cookie and its value in the form
   * (double submit): another site can make a browser post to /login but can
   * neither read nor, SameSite=Strict, send that cookie. No server secret, so
   * several servers behind one address accept each other's forms.
   */
  const login = (reply: FastifyReply, status: number, req: FastifyRequest, error?: string) => {
    const nonce = randomBytes(24).toString('base64url');
    reply.header('set-cookie', `${LOGIN_COOKIE}=${nonce}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${LOGIN_MAX_AGE}${secureOf(req)}`);
    return send(
      reply,
      status,
      layout(
        'Sign in',
        `<h1>Sign in</h1>${error ? `<div class="alert" role="alert">${esc(error)}</div>` : ''}<form method="post" action="/login"><input type="hidden" name="csrf" value="${nonce}"><label for="token">Your token</label><input id="token" name="token" type="password" autocomplete="current-password" required aria-describedby="token-hint"><div class="hint" id="token-hint">from your administrator (promise token add); kept in this browser for 8 hours</div><button type="submit">Sign in</button></form>`,
        null,
        null,
      ),
    );
  };

  /** Runs a page action for a signed-in caller whose form carries the right CSRF token. */
  const guarded =
    (needsForm: boolean, run: (req: FastifyRequest, reply: FastifyReply, me: { caller: Caller; key: string }, form: Form) => Promise<unknown>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      // A link from elsewhere may open a page; only a form of ours may post.
      if (needsForm && crossSite(req)) return send(reply, 403, layout('Refused', `<h1>${CROSS_SITE}</h1>`, null, null));
      const me = await who(req);
      if (!me) return login(reply, 401, req);
      const wait = o.auth.limited(me.caller, req.ip);
      if (wait > 0) return slowDown(reply, wait, me.caller);
      const form = (req.body ?? {}) as Form;
      if (needsForm && !csrfMatches(me.key, form.csrf))
        return send(reply, 403, layout('Expired', '<h1>This form has expired</h1><p><a href="/">Start again</a></p>', me.caller, csrfOf(me.key)));
      return run(req, reply, me, form);
    };

  const page = { config: { scope: 'page' as const }, schema: { hide: true } };

  app.get('/', page, async (req, reply) => {
    const me = await who(req);
    if (!me) return login(reply, 200, req);
    // A token that may only read gets no forms it would be refused: what it can see instead.
    const body = allows(me.caller, 'check')
      ? checkForms(csrfOf(me.key))
      : '<h1>This token can read only</h1><p>It cannot check or commit promises. <a href="/capabilities">See what we can promise</a>.</p>';
    return send(reply, 200, layout('Check a promise', body, me.caller, csrfOf(me.key)));
  });

  app.post('/login', page, async (req, reply) => {
    if (crossSite(req)) return send(reply, 403, layout('Refused', `<h1>${CROSS_SITE}</h1>`, null, null));
    const form = (req.body ?? {}) as Form;
    // Checked before the token: a forged sign-in learns nothing about it.
    if (!sameValue(cookieOf(req.headers.cookie, LOGIN_COOKIE), form.csrf))
      return login(reply, 403, req, 'This sign-in form has expired or did not come from this page: sign in again.');
    const token = String(form.token ?? '').trim();
    const caller = await o.auth.caller(token);
    if (!caller || caller.tokenId === null) {
      const wait = o.auth.refused(req.ip);
      return wait > 0 ? slowDown(reply, wait, null) : login(reply, 401, req, 'That token is not valid.');
    }
    return reply
      .header('set-cookie', [
        `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${COOKIE_MAX_AGE}${secureOf(req)}`,
        `${LOGIN_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`,
      ])
      .redirect('/', 303);
  });

  app.post(
    '/logout',
    page,
    guarded(true, async (_req, reply) => reply.header('set-cookie', `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).redirect('/', 303)),
  );

  app.post(
    '/check',
    page,
    guarded(true, async (req, reply, me, form) => {
      const csrf = csrfOf(me.key);
      if (!allows(me.caller, 'check')) return send(reply, 403, layout('Not allowed', '<h1>Your token may not check promises</h1>', me.caller, csrf));
      const kind = form.kind === 'order' || form.kind === 'service' ? form.kind : 'delivery';
      const prefixed = (k: string) => form[`${kind}-${k}`] ?? form[k];
      const keys = {
        delivery: ['sku', 'qty', 'to', 'by', 'customer'],
        order: ['lines', 'to', 'by', 'customer'],
        service: ['service', 'region', 'response_hours', 'hours'],
      }[kind];
      const entered: Form = { kind };
      for (const k of keys) if (prefixed(k) !== undefined) entered[k] = String(prefixed(k));
      const fields: Record<string, unknown> = Object.fromEntries(Object.entries(entered).filter(([k, v]) => k !== 'kind' && v.trim() !== ''));
      if (typeof fields.lines === 'string') {
        fields.lines = fields.lines
          .split(/[\n,;]+/)
          .map((l) => l.trim())
          .filter(Boolean)
          .map((l) => {
            const at = l.lastIndexOf(':');
            return at > 0 ? { sku: l.slice(0, at).trim(), qty: l.slice(at + 1).trim() } : { sku: l, qty: '' };
          });
      }
      try {
        const json = await checkPromise(o, me.caller, fields);
        req.checkId = json.id;
        return send(reply, 200, layout(HEADLINE[json.verdict], verdictPage(json, csrf, allows(me.caller, 'commit')), me.caller, csrf));
      } catch (e) {
        // The CLI's failure, in the page, with the API's status (409 a conflict, 503 the log unreachable).
        if (!(e instanceof Failure)) throw e;
        return send(reply, statusOf(e), layout('Check a promise', checkForms(csrf, entered, e.message), me.caller, csrf));
      }
    }),
  );

  app.post(
    '/commit',
    page,
    guarded(true, async (req, reply, me, form) => {
      const csrf = csrfOf(me.key);
      if (!allows(me.caller, 'commit')) return send(reply, 403, layout('Not allowed', '<h1>Your token may not commit promises</h1>', me.caller, csrf));
      const id = /^\d{1,15}$/.test(form.id ?? '') ? Number(form.id) : 0;
      req.checkId = id || null;
      const alternative = /^\d{1,6}$/.test(form.alternative ?? '') ? Number(form.alternative) : undefined;
      const terms = {
        ...(alternative ? { alternative } : {}),
        ...(form.hold_until?.trim() ? { hold_until: form.hold_until.trim() } : {}),
        ...(form.note?.trim() ? { note: form.note.trim() } : {}),
      };
      try {
        const answer = await commitCheck(o, me.caller, id, terms);
        const what = esc(describePromise(answer.promise as SalesPromise));
        const body = answer.committed
          ? `<h1 id="result" class="verdict feasible">Committed</h1><p>Check #${answer.id}${answer.hold_until ? `, held as a quote until ${esc(answer.hold_until)}` : ''}: ${what}. It now holds stock: tell the customer.</p>`
          : `<h1 id="result" class="verdict infeasible">Not committed</h1><p role="alert">${esc(answer.reason)}: others committed the stock since it was checked. Do not confirm it to the customer; check again.</p>`;
        return send(
          reply,
          answer.committed ? 200 : 409,
          layout(answer.committed ? 'Committed' : 'Not committed', `${body}<p><a href="/">Check another promise</a></p>`, me.caller, csrf),
        );
      } catch (e) {
        // The CLI's failure, in the page, with the API's status (409 a conflict, 503 the log unreachable).
        if (!(e instanceof Failure)) throw e;
        return send(
          reply,
          statusOf(e),
          layout(
            'Not committed',
            `<h1>Not committed</h1><div class="alert" role="alert">${esc(e.message)}</div><p><a href="/">Check another promise</a></p>`,
            me.caller,
            csrf,
          ),
        );
      }
    }),
  );

  app.get(
    '/capabilities',
    page,
    guarded(false, async (req, reply, me) => {
      const csrf = csrfOf(me.key);
      const q = req.query as Form;
      const region = q.region?.trim() || undefined;
      const sku = q.sku?.trim() || undefined;
      const form = `<h1>What we can promise</h1><form method="get" action="/capabilities"><div class="row"><div>${field('region', 'Region', region ?? '')}</div><div>${field('sku', 'Product (sku)', sku ?? '')}</div></div><button type="submit">Show</button></form>`;
      try {
        const sheet = await capabilitiesSheet(o, me.caller, { ...(region ? { region } : {}), ...(sku ? { sku } : {}), format: 'text' });
        return send(reply, 200, layout('What we can promise', `${form}<pre id="sheet">${esc(sheet)}</pre>`, me.caller, csrf));
      } catch (e) {
        // The CLI's failure, in the page, with the API's status (409 a conflict, 503 the log unreachable).
        if (!(e instanceof Failure)) throw e;
        return send(reply, statusOf(e), layout('What we can promise', `${form}<div class="alert" role="alert">${esc(e.message)}</div>`, me.caller, csrf));
      }
    }),
  );
}

const CROSS_SITE = 'A form from another site cannot post here';

/**
 * A page post that a browser says came from elsewhere: Sec-Fetch-Site other than
 * same-origin (or none: typed, bookmarked), or an Origin whose host is not this
 * one. Clients that send neither (curl, older browsers), or Origin "null", rely
 * on the CSRF tokens.
 */
function crossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.headers.origin;
  // "null": what a browser sends under the page's own Referrer-Policy no-referrer (the tokens still hold).
  if (origin === undefined || origin === 'null') return false;
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

const secureOf = (req: FastifyRequest): string => (req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '');

function sameValue(a: string | null, b: unknown): boolean {
  if (a === null || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieOf(header: string | undefined, cookie = COOKIE): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookie) {
      try {
        return decodeURIComponent(value.join('=')) || null;
      } catch {
        return null;
      }
    }
  }
  return null;
}
