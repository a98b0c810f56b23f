// promise token add|list|revoke: who may use `promise serve` and `promise mcp`
// over HTTP. The secret is printed once; the log keeps only its SHA-256, so a
// team on PostgreSQL shares the tokens and a stolen log grants nothing.
import { createHash, randomBytes } from 'node:crypto';
import type { Io } from '../../cli/io.js';
import { type CommonOptions, logTarget, parseId } from '../../cli/options.js';
import { printable } from '../../cli/render.js';
import { existingLog } from '../../cli/session.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { openLog, TOKEN_SCOPES, type TokenScope } from '../../log/log.js';

export interface TokenOptions extends CommonOptions {
  scope?: string;
}

/** `prm_` then 32 random bytes: the prefix lets secret scanners and people recognise one. */
export const newToken = (): string => `prm_${randomBytes(32).toString('base64url')}`;
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function runTokenAdd(rep: string, opts: TokenOptions, io: Io): Promise<ExitCode> {
  const scope = (opts.scope ?? 'check') as TokenScope;
  if (!TOKEN_SCOPES.includes(scope)) throw usageError(`--scope must be one of ${TOKEN_SCOPES.join(', ')}, not "${opts.scope}"`);
  const name = rep.trim();
  if (name === '' || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) throw usageError('REP must be a name of 1 to 200 printable characters');
  if (opts.log === false) throw usageError('tokens are kept in the log: --no-log does not apply');
  const log = await openLog(logTarget(opts, io.env), { env: io.env });
  const token = newToken();
  const id = await log.addToken(name, scope, tokenHash(token));
  if (opts.json) io.out.write(`${JSON.stringify({ id, rep: name, scope, token })}\n`);
  else {
    io.out.write(`${token}\n`);
    io.err.write(`token ${id} for ${printable(name)} (scope ${scope}); it is shown only this once: keep it in a password manager\n`);
  }
  return EXIT.ok;
}

export async function runTokenList(opts: TokenOptions, io: Io): Promise<ExitCode> {
  const log = await existingLog(opts, io);
  const tokens = await log.listTokens();
  if (opts.json) io.out.write(`${JSON.stringify(tokens)}\n`);
  else if (tokens.length === 0) io.out.write('No tokens. Add one with: promise token add REP --scope check\n');
  else
    for (const t of tokens)
      io.out.write(
        `${String(t.id).padStart(4)}  ${t.scope.padEnd(6)}  ${printable(t.rep)}  created ${t.created_at.slice(0, 16).replace('T', ' ')}${t.revoked_at ? `  revoked ${t.revoked_at.slice(0, 16).replace('T', ' ')}` : ''}\n`,
      );
  return EXIT.ok;
}

export async function runTokenRevoke(idText: string, opts: TokenOptions, io: Io): Promise<ExitCode> {
  const id = parseId(idText, 'a token');
  const log = await existingLog(opts, io);
  if (!(await log.revokeToken(id))) throw usageError(`no live token ${id} in ${log.name}`);
  if (opts.json) io.out.write(`${JSON.stringify({ id, revoked: true })}\n`);
  else io.out.write(`Token ${id} revoked: it no longer opens anything\n`);
  return EXIT.ok;
}
