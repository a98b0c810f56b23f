// dist/writer.cjs (scripts/build.mjs): the log's writer thread as the CLI runs
// it (log/writerThread.ts), for a logged batch and for `promise serve`
// alike. In a worker it is the thread (or, given a checkpointer's data, the
// thread that takes its SQLite log's WAL checkpoints), and formats a batch's
// lines as the batch prints them; in the main thread, what a batch require()s to start it.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type BatchPrint, batchLine } from '../commands/check/batchLine.js';
import { checkpointerMain, isCheckpointer } from '../log/sqlite/checkpointer.js';
import { writerMain } from '../log/writerThread.js';

export { startWriter } from '../commands/check/batchWriter.js';

if (!isMainThread && parentPort) {
  if (isCheckpointer(workerData)) checkpointerMain(parentPort, workerData);
  else
    writerMain<BatchPrint>(parentPort, workerData, (checks, ids, print) =>
      checks
        .map(({ line, outcome: { verdict, promise }, json }, i) =>
          // The text view needs the plan and the alternatives back from their JSON.
          batchLine(line, () => ({ verdict, promise, plan: JSON.parse(json.plan), alternatives: JSON.parse(json.alternatives) }), json, ids[i]!, print),
        )
        .join(''),
    );
}
