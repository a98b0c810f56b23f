// promise check --input: many promises, streamed. Bad lines are reported on stderr
// with their line number and skipped; the batch goes on and exits 2 at the end.
// Checks are logged one transaction per chunk, and a chunk's results are printed
// only once it is recorded. Without --commit, a chunk is recorded by the log's
// writer thread while the next chunk is checked (batchWriter.ts); with --commit,
// each chunk is checked inside its own write transaction, since its commits must
// count every hold before them.

import { effectiveLedger } from '../../cli/commitments.js';
import type { Io } from '../../cli/io.js';
import { logTarget, repName } from '../../cli/options.js';
import { capabilitiesSource, ledgerOf, openSession, type Session, withHistory } from '../../cli/session.js';
import { type CheckOutcome, check } from '../../core/checkPromise.js';
import type { Ledger } from '../../core/commitments/ledger.js';
import { customerOf, type SalesPromise } from '../../core/promise.js';
import { EXIT, type ExitCode, exitForVerdicts, Failure, logError } from '../../errors.js';
import type { PackableCheck } from '../../log/checksWire.js';
import type { LogReader, LogWriter } from '../../log/log.js';
import { type OutcomeJson, outcomeJson } from '../../log/outcomeJson.js';
import { type BatchItem, readBatch } from './batchInput.js';
import { type BatchPrint, batchLine } from './batchLine.js';
import type { ChunkWriter } from './batchWriter.js';
import type { CheckOptions } from './check.js';
import { promiseFromFields } from './fields.js';

/**
 * Rows per log transaction. Each commit costs a WAL checkpoint's syncs every few
 * megabytes; measured on the 100k benchmark, 5,000-row chunks run ~30% faster
 * than 1,000 and hold only a few MB more.
 */
const CHUNK = 5000;
/** The longest a checked line waits for its chunk to fill before it is written. */
const FLUSH_MS = 200;
const IDLE = Symbol('idle');

interface Pending {
  line: number;
  promise: SalesPromise;
  customer: string | null;
}

export async function runBatch(file: string, opts: CheckOptions, io: Io): Promise<ExitCode> {
  const session = await openSession(opts, io);
  await withHistory(session);
  const counts = { feasible: 0, at_risk: 0, infeasible: 0, bad: 0 };
  const batch = await BatchRun.start(session, opts, io);
  const progress = await progressBar(io);
  let pending: Pending[] = [];
  const flush = async () => {
    const chunk = pending;
    pending = [];
    await batch.run(chunk, counts);
    progress?.update(counts);
  };
  // A chunk is written when it is full or FLUSH_MS after its first line, whichever
  // comes first: big transactions for files, prompt answers for a slow producer.
  const items = readBatch(file, io.stdin)[Symbol.asyncIterator]();
  // The next line is read while this one is checked; a read error surfaces when it
  // is awaited, and must not count as unhandled in between.
  const ahead = () => {
    const p = items.next();
    p.catch(() => {});
    return p;
  };
  let next = ahead();
  let deadline: { promise: Promise<typeof IDLE>; timer: NodeJS.Timeout; start: number } | null = null;
  try {
    for (;;) {
      const got: IteratorResult<BatchItem> | typeof IDLE = deadline ? await Promise.race([next, deadline.promise]) : await next;
      if (got === IDLE) {
        deadline = null;
        await flush();
        continue;
      }
      if (got.done) break;
      next = ahead();
      const item = got.value;
      // --customer is every line's customer unless the line names its own.
      const parsed = 'error' in item ? item : await promiseFromFields({ customer: opts.customer, ...item.fields }, session.model, session.now);
      if ('error' in parsed) {
        counts.bad++;
        io.err.write(`${file}:${item.line}: ${parsed.error}\n`);
        continue;
      }
      pending.push({ line: item.line, promise: parsed.promise, customer: customerOf(parsed.promise) ?? null });
      if (pending.length === 1) {
        let timer!: NodeJS.Timeout;
        const promise: Promise<typeof IDLE> = new Promise((resolve) => (timer = setTimeout(() => resolve(IDLE), FLUSH_MS)));
        deadline = { promise, timer, start: performance.now() };
      }
      // Full, or due while lines keep coming (the race above only notices a stalled input).
      if (pending.length >= CHUNK || performance.now() - deadline!.start >= FLUSH_MS) {
        clearTimeout(deadline!.timer);
        deadline = null;
        await flush();
      }
    }
    if (deadline) clearTimeout(deadline.timer);
    await flush();
    await batch.writer?.finish();
    progress?.update(counts);
  } catch (e) {
    // A chunk the writer thread still has is recorded and printed, or not, before the count is told.
    await batch.writer?.finish().catch(() => {});
    // Chunks written before the failure stay written (and were printed): say exactly how many.
    if (e instanceof Failure && e.kind === 'log' && batch.recorded > 0) {
      throw logError(`${e.message.replace(/; nothing was recorded$/, '')}; the first ${batch.recorded} check(s) were recorded and printed, none after them`);
    }
    throw e;
  } finally {
    await batch.writer?.close();
    progress?.stop();
  }
  const total = counts.feasible + counts.at_risk + counts.infeasible;
  if (!opts.json) {
    io.out.write(
      `${total} checked: ${counts.feasible} feasible, ${counts.at_risk} at risk, ${counts.infeasible} infeasible` +
        `${counts.bad > 0 ? `; ${counts.bad} bad line${counts.bad === 1 ? '' : 's'} skipped` : ''}\n`,
    );
  }
  if (counts.bad > 0) return EXIT.usage;
  const verdicts: CheckOutcome['verdict'][] = [];
  if (counts.infeasible) verdicts.push('infeasible');
  if (counts.at_risk) verdicts.push('at_risk');
  return exitForVerdicts(verdicts);
}

/** Checks chunk after chunk against one ledger of open commitments. */
class BatchRun {
  /** Checks recorded so far: what a failure part-way must report exactly. */
  recorded = 0;

  private constructor(
    private readonly session: Session,
    private readonly opts: CheckOptions,
    private readonly io: Io,
    private ledger: Ledger,
    /** The last commitment event the ledger includes, to notice other writers. */
    private eventsSeen: number,
    /** Records chunks while the next is checked: a logged batch without --commit. */
    readonly writer: ChunkWriter | null,
    private readonly printing: BatchPrint,
  ) {}

  static async start(session: Session, opts: CheckOptions, io: Io): Promise<BatchRun> {
    const { ledger, seen } = await ledgerOf(session);
    const target = logTarget(opts, io.env);
    // The thread starts (and opens the log) while the first chunk is read and checked. Only from a
    // CommonJS bundle in dist/ (the CLI's, or a check's own), with dist/writer.cjs beside it: from
    // the sources (tests in-process) or the server's ES module build, the batch writes itself.
    const printing: BatchPrint = { json: !!opts.json, now: session.nowText, sha256: session.loaded.sha256 };
    const writer =
      session.log && session.record && !opts.commit && import.meta.url.endsWith('.cjs')
        ? (require(`${__dirname}/writer.cjs`) as typeof import('../../cli/writer.js')).startWriter(
            target,
            io.env,
            capabilitiesSource(session.loaded),
            printing,
            Failure,
          )
        : null;
    return new BatchRun(session, opts, io, ledger, seen, writer, printing);
  }

  async run(chunk: Pending[], counts: Record<string, number>): Promise<void> {
    if (chunk.length === 0) return;
    const { log, record } = this.session;
    const lines = chunk.map((p) => p.line);
    if (!log || !record) return this.print(lines, [...this.checkAll(chunk)], null, counts);
    if (!this.writer) {
      const [results, ids] = await log.write((tx) => this.checkAndRecord(tx, chunk));
      this.recorded += ids.length;
      return this.print(lines, results, ids, counts);
    }
    // Without --commit a check holds nothing, so a chunk is checked outside any transaction while
    // the writer thread records the one before. Each line records the event position its ledger
    // stood at (exact replay); the ledger catches up first when another process moved the events' head.
    await this.catchUp(log, await log.lastEventId());
    await this.writer.send(this.toRecord(chunk), chunk.length, this.io.out, counts, (n) => (this.recorded += n));
  }

  /** Each line's check as the writer thread records it, checked as it is packed (its objects die young). */
  private *toRecord(chunk: Pending[]): Generator<PackableCheck> {
    const now = this.session.nowText;
    const rep = repName(this.opts, this.io.env);
    let i = 0;
    for (const { json, eventsSeen } of this.checkAll(chunk)) {
      const { line, customer } = chunk[i++]!;
      yield { json, eventsSeen, now, rep, customer, line };
    }
  }

  /** A ledger with the commitment events another process added since ours. */
  private async catchUp(log: LogReader, head: number): Promise<void> {
    if (head === this.eventsSeen) return;
    ({ ledger: this.ledger, seen: this.eventsSeen } = await effectiveLedger(log, this.session.model, this.session.today, this.session.now));
  }

  /** One write per chunk: a write per line costs more than the line's check. */
  private print(lines: number[], results: { outcome: CheckOutcome; json: OutcomeJson }[], ids: number[] | null, counts: Record<string, number>): void {
    const out = results.map(({ outcome, json }, i) => {
      counts[outcome.verdict]!++;
      return batchLine(lines[i]!, () => outcome, json, ids ? ids[i]! : null, this.printing);
    });
    this.io.out.write(out.join(''));
  }

  /**
   * Each line's check, and the last commitment event its ledger included (its own commits come after it);
   * one line at a time: the writer thread's path packs each as it comes, so a line's objects die young.
   */
  private *checkAll(chunk: Pending[]): Generator<{ outcome: CheckOutcome; json: OutcomeJson; eventsSeen: number }> {
    let seen = this.eventsSeen;
    for (const { promise } of chunk) {
      const outcome = check(this.session.model, promise, this.ledger, this.session.now);
      const eventsSeen = seen;
      // With --commit, a feasible promise holds its stock for the lines after it: its commit is the next event.
      if (this.opts.commit && outcome.verdict === 'feasible') {
        for (const h of outcome.holds) this.ledger.add(h);
        seen++;
      }
      yield { outcome, json: outcomeJson(outcome), eventsSeen };
    }
  }

  /**
   * Inside the write transaction: catch up with other writers, check, record,
   * commit. Committing, it first takes the lock every commit waits on and the
   * events' head, so no one commits, releases or closes between the holds it
   * reads and the commitments it writes, and each line's event position is exact.
   */
  private async checkAndRecord(tx: LogWriter, chunk: Pending[]): Promise<[{ outcome: CheckOutcome; json: OutcomeJson }[], number[]]> {
    if (this.opts.commit) await tx.lockForCommit('all');
    await this.catchUp(tx, this.opts.commit ? await tx.lockEvents() : await tx.lastEventId());
    const results = [...this.checkAll(chunk)];
    const { loaded, nowText } = this.session;
    const rep = repName(this.opts, this.io.env);
    const ids = await tx.recordChecks(
      capabilitiesSource(loaded),
      results.map((r, i) => ({ ...r, now: nowText, rep, customer: chunk[i]!.customer })),
    );
    if (this.opts.commit) {
      for (const [i, { outcome }] of results.entries()) {
        if (outcome.verdict === 'feasible') await tx.commit(ids[i]!, null, rep);
      }
    }
    this.eventsSeen = await tx.lastEventId();
    return [results, ids];
  }
}

/**
 * A progress line on stderr for a person watching a terminal, shown once the
 * batch is large (past its first chunk); small batches finish before it matters.
 */
async function progressBar(io: Io): Promise<{ update(c: Record<string, number>): void; stop(): void } | null> {
  if (!io.err.isTTY) return null;
  const { SingleBar } = (await import('cli-progress')).default;
  const bar = new SingleBar(
    {
      format: 'checked {value} promises ({feasible} feasible, {at_risk} at risk, {infeasible} infeasible)',
      stream: io.err as NodeJS.WritableStream,
      clearOnComplete: true,
    },
    undefined,
  );
  let started = false;
  return {
    update: (c) => {
      const done = c.feasible! + c.at_risk! + c.infeasible!;
      if (!started && done < CHUNK) return;
      if (!started) bar.start(0, done, c);
      started = true;
      bar.update(done, c);
    },
    stop: () => started && bar.stop(),
  };
}
