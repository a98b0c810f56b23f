// HTTP's plumbing for the server (app.ts has the routes): RFC 9457 problem
// documents, what never became a request, content negotiation, the request log's
// line.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply } from 'fastify';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** An RFC 9457 problem document's fields. */
const problemOf = (status: number, detail: string, more: Record<string, unknown> = {}) => ({
  type: 'about:blank',
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  ...more,
});

/** An RFC 9457 problem document as the answer. */
export function problem(reply: FastifyReply, status: number, detail: string, more: Record<string, unknown> = {}): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(problemOf(status, detail, more));
}

/**
 * The format an Accept header prefers among `types` (RFC 9110: the highest q, then the order given; q=0 refuses;
 * `*` + `/*` and `text/*` take the first that fits). No header: the first. None acceptable: null (406).
 */
export function negotiate<T extends string>(accept: string | undefined, types: Record<string, T>): T | null {
  const offered = Object.keys(types);
  if (!accept) return types[offered[0]!]!;
  let best: { type: string; q: number } | null = null;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    if (!(q > 0)) continue;
    const [major, minor] = range.split('/');
    const type = offered.find((t) => range === t || (minor === '*' && (major === '*' || t.startsWith(`${major}/`))));
    if (type !== undefined && (best === null || q > best.q)) best = { type, q };
  }
  return best === null ? null : types[best.type]!;
}

/** 429 with Retry-After. */
export const tooMany = (reply: FastifyReply, wait: number, what: string): FastifyReply =>
  problem(reply.header('retry-after', String(wait)), 429, `${what}; try again in ${wait} s`);

/** One line of the request log (stderr). */
export function requestLine(fields: {
  method: string | null;
  route: string | null;
  status: number;
  ms: number | null;
  rep: string | null;
  check_id: number | null;
  error?: string;
}): string {
  return JSON.stringify({ time: new Date().toISOString(), ...fields });
}

/**
 * What never became a request (bytes that are not HTTP, headers too large, a body that did not arrive in time):
 * answered on the socket as a problem document, and logged, instead of Fastify's own JSON.
 */
export function clientError(e: NodeJS.ErrnoException, socket: Duplex, say: (line: string) => void): void {
  if (e.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    e.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'the request did not arrive whole within 30 s']
      : e.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request headers are over 16 KiB']
        : [400, `not an HTTP request this server can read (${e.code ?? e.message})`];
  say(requestLine({ method: null, route: null, status, ms: null, rep: null, check_id: null, error: detail }));
  const body = JSON.stringify(problemOf(status, detail));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(e);
}
