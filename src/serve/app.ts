// promise serve's HTTP side: the JSON API under /v1, /openapi.json generated
// from the zod schemas that validate the requests, /healthz and /readyz, the
// page for reps (page.ts) and MCP at /mcp (mcp.ts). Fastify is loaded only by
// `promise serve`: a check never pays for it.
import { createServer } from 'node:http';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { Failure } from '../errors.js';
import { statusOn, type TokenScope } from '../log/log.js';
import { VERSION } from '../version.js';
import { type Authenticator, bearerOf, isLoopback } from './auth.js';
import { clientError, negotiate, problem, requestLine, tooMany } from './http.js';
import { mcpServer } from './mcp.js';
import {
  allows,
  type Caller,
  capabilitiesSheet,
  checkLine,
  commitCheck,
  listChecks,
  runCommand,
  type ServeContext,
  servedOptions,
  session,
  statusOf,
} from './ops.js';
import { pageRoutes } from './page.js';
import {
  CapabilitiesQuery,
  type CheckRequest as CheckBody,
  CheckRequest,
  ChecksQuery,
  CommitBody,
  HandoffQuery,
  IdParams,
  NoBody,
  NoQuery,
  OutcomeRequest,
  StatsQuery,
} from './schemas.js';

export const BODY_LIMIT = 1024 * 1024;

/** The hand-off's formats by media type, the first the default. */
const HANDOFF_TYPES = { 'application/json': 'json', 'text/calendar': 'ics', 'text/csv': 'csv' } as const;

export interface AppOptions extends ServeContext {
  auth: Authenticator;
  /** Listening on a loopback address only: requests must name it (Host, Origin), against DNS rebinding. */
  loopback?: boolean;
  /** One JSON line per request (stderr). */
  say: (line: string) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
    checkId: number | null;
  }
  interface FastifyContextConfig {
    /** The least scope a route needs; 'none': /healthz; 'page': the page authenticates by cookie itself. */
    scope?: TokenScope | 'none' | 'page';
  }
}

/** A Host header (name and optional port) that names a loopback address. */
export function namesLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return isLoopback(name.toLowerCase());
}

function originLoopback(origin: string): boolean {
  try {
    return namesLoopback(new URL(origin).host);
  } catch {
    return false;
  }
}

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    clientErrorHandler: (e, socket) => clientError(e, socket, o.say),
    // A URL Fastify's router cannot read (bad percent-encoding, a parameter over its length): a problem too, and logged
    // here (no route, so no onResponse hook).
    frameworkErrors: (e, req, reply) => {
      const status = e.statusCode ?? 400;
      void problem(reply, status, `the URL cannot be read: ${req.url}`);
      o.say(requestLine({ method: req.method, route: req.url, status, ms: null, rep: null, check_id: null }));
    },
    bodyLimit: BODY_LIMIT,
    // A slow or stuck client cannot hold a connection: the whole request must arrive within 30 s, or it is answered 408
    // (clientError). Node looks for such requests every 30 s by default, and Fastify's own server missed the first
    // look: a body sent too slowly was cut by the socket's timeout at 60 s, unanswered. Checked every second here.
    serverFactory: (handler) => {
      const server = createServer({ requestTimeout: 30_000, connectionsCheckingInterval: 1_000, keepAliveTimeout: 5_000 }, handler);
      server.setTimeout(60_000);
      return server;
    },
    // Answered 503 by the onRequest hook below, as a problem document (Fastify's own is plain JSON).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });
  // JSON only: an empty JSON body is no body (a commit with no terms, `curl -H content-type:application/json -X POST`),
  // and text/plain, which Fastify reads as a string by default, is refused like any other type (415).
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    (body as string).trim() === '' ? done(null, undefined) : json(req, body as string, done),
  );
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('caller', null);
  app.decorateRequest('checkId', null);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'promise',
        version: VERSION,
        description:
          'Check a sales promise against what the company can deliver before making it; commit it so it holds stock. Every answer is the one `promise check` gives.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token from `promise token add REP`' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  /** The caller of a request that needs a token, or its 401, 429 or 403. */
  const admit = (req: FastifyRequest, reply: FastifyReply, scope: TokenScope, caller: Caller | null, done: () => void): void => {
    if (!caller) {
      const wait = o.auth.refused(req.ip);
      if (wait > 0) return void tooMany(reply, wait, 'too many requests without a valid token from this address');
      return void problem(reply.header('www-authenticate', 'Bearer'), 401, 'a valid token is needed: Authorization: Bearer TOKEN');
    }
    req.caller = caller;
    const wait = o.auth.limited(caller, req.ip);
    if (wait > 0) return void tooMany(reply, wait, 'too many requests for this token');
    if (!allows(caller, scope)) return void problem(reply, 403, `this token's scope (${caller.scope}) does not allow this; it needs ${scope}`);
    done();
  };
  // Once SIGTERM closes the server, a request still arriving on a kept-alive connection is refused before any work.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // Callback hooks, not async ones: a known token is answered without a promise and its turn of the microtask queue
  // (a hook that replies does not call done).
  app.addHook('onRequest', (req, reply, done) => {
    if (closing) return void problem(reply.header('connection', 'close'), 503, 'the server is stopping: send the request again');
    // DNS rebinding: a web page whose name now points at 127.0.0.1 reaches a loopback server, but names itself.
    if (
      o.loopback &&
      !(namesLoopback(req.headers.host) && (req.headers.origin === undefined || req.headers.origin === 'null' || originLoopback(req.headers.origin)))
    )
      return void problem(reply, 403, 'this server listens on this machine only: Host and Origin must be localhost, 127.0.0.1 or [::1]');
    const scope = req.routeOptions.config.scope ?? 'read';
    if (scope === 'none' || scope === 'page') return done();
    const caller = o.auth.caller(bearerOf(req.headers.authorization));
    if (caller instanceof Promise)
      caller.then(
        (c) => admit(req, reply, scope, c, done),
        (e: Error) => done(e),
      );
    else admit(req, reply, scope, caller, done);
  });

  app.addHook('onResponse', (req, reply, done) => {
    o.say(
      requestLine({
        method: req.method,
        route: req.routeOptions.url ?? req.url.split('?')[0]!,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        rep: req.caller?.rep ?? null,
        check_id: req.checkId,
      }),
    );
    done();
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.flatMap((v) => {
        const keys = (v.params as { keys?: string[] }).keys;
        const where = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        // One error per unknown field, each in the words its schema gives (schemas.ts `strict`), joined by "; ".
        if (v.keyword === 'unrecognized_keys' && keys) {
          const messages = String(v.message).split('; ');
          return keys.map((k, i) => ({ field: where ? `${where}.${k}` : k, message: messages[i] ?? `unknown field "${k}"` }));
        }
        return [{ field: where || error.validationContext || 'body', message: String(v.message) }];
      });
      return problem(reply, 400, errors.map((e) => (e.message.includes(e.field) ? e.message : `${e.field}: ${e.message}`)).join('; '), { errors });
    }
    if (error instanceof Failure) return problem(reply, statusOf(error), error.message);
    const status = error.statusCode ?? 500;
    if (status === 413) return problem(reply, 413, `the request body is over ${BODY_LIMIT / 1024 / 1024} MiB`);
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return problem(reply, 415, `send ${req.method === 'POST' ? 'application/json' : 'no body'}`);
    if (status >= 400 && status < 500) return problem(reply, status, error.message.replace(/^Body /, 'the body '));
    o.say(JSON.stringify({ time: new Date().toISOString(), error: error.message, route: req.routeOptions.url ?? null }));
    return problem(reply, 500, 'internal error (please report it)');
  });
  app.setNotFoundHandler((req, reply) => problem(reply, 404, `no route ${req.method} ${req.url.split('?')[0]}`));

  const api = app.withTypeProvider<ZodTypeProvider>();
  const caller = (req: FastifyRequest) => req.caller!;

  api.get('/healthz', { config: { scope: 'none' }, schema: { hide: true } }, async () => ({ ok: true }));
  api.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const { loaded } = o.live.current;
    const capabilities = { file: o.live.file, sha256: loaded.sha256, problem: o.live.problem };
    try {
      await o.log.lastEventId();
    } catch (e) {
      return reply.code(503).send({ ready: false, capabilities, log: { name: o.log.name, problem: String((e as Error).message) } });
    }
    // A bad edit does not make the server unready: it still answers with the last good version, and says so.
    return { ready: true, capabilities, log: { name: o.log.name, problem: null } };
  });
  api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  api.post(
    '/v1/checks',
    {
      config: { scope: 'check' },
      schema: { summary: 'Check a promise (and record it)', body: CheckRequest, tags: ['checks'] },
    },
    async (req, reply) => {
      // The line as the CLI prints it, sent as it is: no parse and stringify again.
      const { line, id } = await checkLine(o, caller(req), req.body as CheckBody);
      req.checkId = id;
      return reply.type('application/json').send(line);
    },
  );
  api.get('/v1/checks', { schema: { summary: 'Recorded checks, newest first', querystring: ChecksQuery, tags: ['checks'] } }, async (req) =>
    listChecks(o, caller(req), req.query),
  );
  api.get('/v1/checks/:id', { schema: { summary: 'One recorded check', params: IdParams, querystring: NoQuery, tags: ['checks'] } }, async (req, reply) => {
    const row = await o.log.getCheck(req.params.id);
    if (!row) return problem(reply, 404, `no check ${req.params.id} in ${o.log.name}`);
    req.checkId = row.id;
    return { ...row, status: statusOn(row, session(o).today), promise: JSON.parse(row.promise), result: JSON.parse(row.result) };
  });
  api.post(
    '/v1/checks/:id/commit',
    {
      config: { scope: 'commit' },
      schema: {
        summary: 'Commit a checked promise or one of its alternatives (409 when it no longer fits)',
        params: IdParams,
        body: CommitBody,
        tags: ['commitments'],
      },
    },
    async (req, reply) => {
      req.checkId = req.params.id;
      const answer = await commitCheck(o, caller(req), req.params.id, req.body ?? {});
      if (!answer.committed) return problem(reply, 409, `cannot commit check ${answer.id}: ${answer.reason} (check again)`, { reason: answer.reason });
      return answer;
    },
  );
  api.post(
    '/v1/checks/:id/confirm',
    { config: { scope: 'commit' }, schema: { summary: 'Turn a held quote into a firm commitment', params: IdParams, body: NoBody, tags: ['commitments'] } },
    async (req, reply) => {
      req.checkId = req.params.id;
      const { runConfirm } = await import('../commands/confirm/confirm.js');
      const r = JSON.parse((await runCommand((io) => runConfirm(String(req.params.id), servedOptions(o, caller(req)), io))).stdout);
      if (!r.confirmed) return problem(reply, 409, `cannot confirm check ${r.id}: ${r.reason} (check again)`, { reason: r.reason });
      return r;
    },
  );
  api.post(
    '/v1/checks/:id/release',
    {
      config: { scope: 'commit' },
      schema: { summary: 'Cancel a commitment: its stock is free again', params: IdParams, body: NoBody, tags: ['commitments'] },
    },
    async (req) => {
      req.checkId = req.params.id;
      const { runRelease } = await import('../commands/release/release.js');
      return JSON.parse((await runCommand((io) => runRelease(String(req.params.id), servedOptions(o, caller(req)), io))).stdout);
    },
  );
  api.post(
    '/v1/checks/:id/outcome',
    {
      config: { scope: 'commit' },
      schema: { summary: 'Record what happened to a commitment', params: IdParams, body: OutcomeRequest, tags: ['commitments'] },
    },
    async (req) => {
      req.checkId = req.params.id;
      const { runOutcome } = await import('../commands/outcome/outcome.js');
      const { status, on, note } = req.body;
      const opts = { ...servedOptions(o, caller(req)), met: status === 'met', missed: status === 'missed', ...(on ? { on } : {}), ...(note ? { note } : {}) };
      return JSON.parse((await runCommand((io) => runOutcome(String(req.params.id), opts, io))).stdout);
    },
  );
  api.get(
    '/v1/capabilities',
    { schema: { summary: 'What can be promised, for a region, sku or customer', querystring: CapabilitiesQuery, tags: ['capabilities'] } },
    async (req, reply) => reply.type('application/json').send(await capabilitiesSheet(o, caller(req), req.query)),
  );
  api.get(
    '/v1/handoff',
    {
      schema: {
        summary: 'Firm commitments and live quotes for operations: JSON, or text/calendar (ICS) or text/csv by Accept',
        querystring: HandoffQuery,
        tags: ['commitments'],
      },
    },
    async (req, reply) => {
      const format = negotiate(req.headers.accept, HANDOFF_TYPES);
      if (format === null) return problem(reply, 406, 'send Accept: application/json, text/calendar or text/csv');
      const { runHandoff } = await import('../commands/handoff/handoff.js');
      const opts = { ...servedOptions(o, caller(req)), ...req.query, format, json: false };
      const out = (await runCommand((io) => runHandoff(opts, io))).stdout;
      const type = { ics: 'text/calendar; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json' }[format];
      return reply.header('vary', 'Accept').type(type).send(out);
    },
  );
  api.get('/v1/stats', { schema: { summary: 'Promised vs delivered, and lost demand', querystring: StatsQuery, tags: ['stats'] } }, async (req, reply) => {
    const { runStats } = await import('../commands/stats/stats.js');
    const opts = { ...servedOptions(o, caller(req)), ...req.query };
    return reply.type('application/json').send((await runCommand((io) => runStats(opts, io))).stdout);
  });
  api.get(
    '/v1/recheck',
    // No query: `?apply=1` is refused, not read as a dry run that seemed to apply.
    { schema: { summary: 'Every open commitment re-checked against today (a dry run)', querystring: NoQuery, tags: ['commitments'] } },
    async (req) => {
      const { runRecheck } = await import('../commands/recheck/recheck.js');
      const out = (await runCommand((io) => runRecheck(servedOptions(o, caller(req)), io))).stdout;
      return out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l));
    },
  );

  pageRoutes(app, o);

  // MCP over Streamable HTTP, stateless: each POST carries its own exchange, with the token's rep and scope. No GET
  // stream (the transport allows a 405): a stateless server has nothing to push on it, and the open stream the SDK's
  // client asks for after initialize would hold SIGTERM's "finish what is in flight" until the client left.
  app.route({
    method: ['GET', 'DELETE'],
    url: '/mcp',
    schema: { hide: true },
    handler: async (req, reply) => problem(reply.header('allow', 'POST'), 405, `${req.method} /mcp: this server is stateless, send each message as a POST`),
  });
  app.route({
    method: 'POST',
    url: '/mcp',
    schema: { hide: true },
    handler: async (req, reply) => {
      const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
      const server = mcpServer(o, caller(req), (id) => {
        req.checkId = id;
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req.raw, reply.raw, req.body);
    },
  });

  return app;
}
