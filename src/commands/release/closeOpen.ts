// Ending an open commitment, shared by release and outcome: refused unless the
// check is committed and still open, decided inside the write transaction.
import { usageError } from '../../errors.js';
import type { Closing, LogWriter } from '../../log/log.js';

/** A firm commitment or a held quote (expired or not) can be released or closed. */
export async function closeOpen(
  tx: LogWriter,
  id: number,
  status: Closing,
  rep: string,
  detail: { on?: string; note?: string; lateWorkdays?: number },
): Promise<void> {
  const row = await tx.getCheck(id);
  if (row!.status !== 'open' && row!.status !== 'held')
    throw usageError(`check ${id} is ${row!.status === 'checked' ? 'not committed' : `already ${row!.status}`}`);
  await tx.closeCommitment(id, status, rep, detail);
}
