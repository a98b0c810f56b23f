// promise log head: the chains' last rows as one token a team publishes (a CI
// log, a chat), so `log verify --head TOKEN` can later prove the log extends it.
import type { Io } from '../../../cli/io.js';
import type { CommonOptions } from '../../../cli/options.js';
import { existingLog } from '../../../cli/session.js';
import { EXIT, type ExitCode } from '../../../errors.js';
import { headToken } from '../../../log/chain.js';

export async function runLogHead(opts: CommonOptions, io: Io): Promise<ExitCode> {
  const log = await existingLog(opts, io);
  const heads = await log.heads();
  if (opts.json) io.out.write(`${JSON.stringify({ head: headToken(heads), checks: heads.checks, events: heads.events })}\n`);
  else io.out.write(`${headToken(heads)}\n`);
  return EXIT.ok;
}
