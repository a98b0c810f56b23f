// promise log grant ROLE --rep|--ops|--owner [--apply] (TEAM.md "Least privilege
// is a command"): the grants printed, for a DBA to read and run (`| psql`), or run
// here in one transaction by the log's owner.
import type { Io } from '../../../cli/io.js';
import type { CommonOptions } from '../../../cli/options.js';
import { existingLog } from '../../../cli/session.js';
import { EXIT, type ExitCode, usageError } from '../../../errors.js';
import { GRANT_KINDS, grantStatements } from '../../../log/postgres/grants.js';

export interface GrantOptions extends Omit<CommonOptions, 'rep'> {
  rep?: boolean;
  ops?: boolean;
  owner?: boolean;
  apply?: boolean;
}

export async function runLogGrant(role: string, opts: GrantOptions, io: Io): Promise<ExitCode> {
  const kinds = GRANT_KINDS.filter((k) => opts[k]);
  if (kinds.length !== 1) throw usageError('log grant needs exactly one of --rep, --ops or --owner');
  // PostgreSQL's names: at most 63 bytes, no NUL.
  if (role === '' || role.includes('\0') || Buffer.byteLength(role) > 63) throw usageError(`"${role}" is not a PostgreSQL role name`);
  const log = await existingLog({ ...opts, rep: undefined }, io);
  const ownership = await log.ownership();
  if (!ownership) throw usageError(`${log.name} is a SQLite file, which has no roles: grants are for a team log (--log postgres://…)`);
  const statements = grantStatements(role, kinds[0]!, ownership);
  if (opts.apply) await log.grant(statements);
  if (opts.json) io.out.write(`${JSON.stringify({ role, as: kinds[0], log: log.name, applied: opts.apply === true, statements })}\n`);
  else if (opts.apply)
    io.out.write(`Granted ${role} what a${kinds[0] === 'ops' ? 'n' : ''} ${kinds[0]} needs on ${log.name} (${statements.length} statements)\n`);
  else io.out.write(`${statements.join('\n')}\n`);
  return EXIT.ok;
}
