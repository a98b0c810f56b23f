// promise release ID: a commitment is cancelled; its stock and capacity are free again.
import type { Io } from '../../cli/io.js';
import { type CommonOptions, repName } from '../../cli/options.js';
import { recordedCheck } from '../../cli/session.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { closeOpen } from './closeOpen.js';

export async function runRelease(idText: string, opts: CommonOptions, io: Io): Promise<ExitCode> {
  const { log, row } = await recordedCheck(idText, opts, io);
  await log.write((tx) => closeOpen(tx, row.id, 'released', repName(opts, io.env), {}));
  if (opts.json) io.out.write(`${JSON.stringify({ id: row.id, status: 'released' })}\n`);
  else io.out.write(`Check ${row.id} released: its stock and capacity are free again\n`);
  return EXIT.ok;
}
