// What every checking command needs: the capabilities (loaded and compiled), the
// instant it runs at, and the log. With --no-log the log is still read when it
// exists (its commitments hold stock for every check, SEMANTICS §3), never written.
import { resolve } from 'node:path';
import { capabilitiesFromText, loadCapabilities } from '../capabilities/cache.js';
import type { LoadedCapabilities } from '../capabilities/read.js';
import { Ledger } from '../core/commitments/ledger.js';
import { compile, type Model } from '../core/model.js';
import { isoInZone } from '../core/time/clock.js';
import { Failure, usageError } from '../errors.js';
import { type CapabilitiesSource, type CheckRow, isPostgresUrl, type LatenessCount, type Log, type LogReader, openLog } from '../log/log.js';
import { ledgerOver } from './commitments.js';
import type { Io } from './io.js';
import { type CommonOptions, capabilitiesPath, clockOf, loadCapabilitiesOrFail, logTarget, orFail, parseId } from './options.js';

export interface Session {
  loaded: LoadedCapabilities;
  model: Model;
  now: Date;
  /** `now` as recorded: ISO 8601 with the company zone's offset. */
  nowText: string;
  /** The company's date today (YYYY-MM-DD): a quote holds through its last day. */
  today: string;
  /** The log to read commitments from; null with --no-log when there is none yet. */
  log: Log | null;
  /** False with --no-log: nothing is written. */
  record: boolean;
  /** The log's delivery history is in `model` (withHistory, or the first ledgerOf). */
  historyRead?: boolean;
}

/** `file` overrides --capabilities (commands on a recorded check use the file it recorded). */
export async function openSession(opts: CommonOptions, io: Io, file = capabilitiesPath(opts, io.env)): Promise<Session> {
  const record = opts.log !== false;
  const target = logTarget(opts, io.env);
  // Opened before checking: a check that cannot be recorded is not reported.
  const giveUp = new AbortController();
  const open = () =>
    opts.served
      ? Promise.resolve(opts.served.log)
      : record
        ? openLog(target, { env: io.env, signal: giveUp.signal })
        : openIfThere(target, io.env, giveUp.signal);
  // A team log's server forks a backend and logs it in for tens of ms: asked first, it does so while the
  // capabilities load and compile, the connection answering the server between the steps. A SQLite log
  // opens after them, so that a bad file leaves no new log behind.
  const early = isPostgresUrl(target) ? open() : null;
  early?.catch(() => {}); // awaited below: it may fail before then
  const turn = () => (early ? new Promise(setImmediate) : undefined);
  await turn();
  let loaded: LoadedCapabilities;
  try {
    loaded = await loadCapabilitiesOrFail(file, opts);
  } catch (e) {
    giveUp.abort(); // a server that does not answer must not keep the process waiting
    void early?.then(
      (log) => log?.close(),
      () => {},
    );
    throw e;
  }
  await turn();
  const zone = loaded.caps.timezone;
  const now = clockOf(opts).at(zone);
  const nowText = isoInZone(now, zone);
  const model = compile(loaded.caps, loaded.catalogue);
  const log = await (early ?? open());
  return { loaded, model, now, nowText, today: nowText.slice(0, 10), log, record };
}

/** --no-log: the log to read commitments from, if there is one yet. */
async function openIfThere(target: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<Log | null> {
  try {
    return await openLog(target, { readonly: true, env, signal });
  } catch (e) {
    if (e instanceof Failure && e.kind === 'no-log') return null;
    throw e;
  }
}

/**
 * The commitments a check of `sku` (or of everything) must respect, and the last
 * event they include. The first call also brings the log's delivery history into
 * the model (withHistory): both read at once, one round trip on a team log.
 * `log`: where to read (a write transaction's reader, to read and record in one).
 */
export async function ledgerOf(session: Session, sku?: string, log: LogReader | null = session.log): Promise<{ ledger: Ledger; seen: number }> {
  const { today, now } = session;
  if (!log) return { ledger: new Ledger(), seen: 0 };
  const [history, { holds, seen }] = await Promise.all([
    session.historyRead ? null : log.lateness(),
    log.openHolds(today, sku === undefined ? undefined : [sku]),
  ]);
  if (history) await applyHistory(session, history);
  return { ledger: await ledgerOver(session.model, holds, now, (over) => log.liveCommitments(today, over)), seen };
}

/** What a check row records about the capabilities: the absolute path (later commands find the file), the YAML and its feeds. */
export const capabilitiesSource = ({ file, sha256, text, feeds }: LoadedCapabilities): CapabilitiesSource => ({
  path: resolve(file),
  sha256,
  content: text,
  feeds: feeds.map(({ kind, path, sha256, text }) => ({ kind, path, sha256, content: text })),
});

/**
 * Today where the company is (tells held quotes from expired ones): in the zone
 * of the capabilities file when it loads, else the machine's (a log may span
 * several files; only the hours around midnight can differ).
 */
export async function companyToday(opts: CommonOptions, io: Io): Promise<string> {
  const clock = clockOf(opts);
  if (opts.served) return clock.today(opts.served.loaded.caps.timezone);
  const result = await loadCapabilities(capabilitiesPath(opts, io.env), clock);
  const zone = result.ok ? result.value.caps.timezone : (process.env.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  return clock.today(zone);
}

/** The log for commands that only read it: it must exist (a typo must not look like an empty log). */
export async function existingLog(opts: CommonOptions, io: Io): Promise<Log> {
  if (opts.served) return opts.served.log;
  return openLog(logTarget(opts, io.env), { mustExist: true, env: io.env });
}

/** A recorded check by its ID, with the log it is in (for commit, release, outcome, replay). */
export async function recordedCheck(idText: string, opts: CommonOptions, io: Io): Promise<{ log: Log; row: CheckRow }> {
  const id = parseId(idText);
  if (opts.log === false) throw usageError('this command works on the log: --no-log does not apply');
  const log = await existingLog(opts, io);
  const row = await log.getCheck(id);
  if (!row) throw usageError(`no check ${id} in ${log.name}`);
  return { log, row };
}

/**
 * The capabilities a command on a recorded check works with: --capabilities when
 * given, else the file the check was made on (CLI.md, "Further surface").
 */
export async function recordedCapabilities(row: CheckRow, opts: CommonOptions): Promise<LoadedCapabilities> {
  // A server checks against the file it serves, as --capabilities would.
  if (opts.served) return opts.served.loaded;
  if (opts.capabilities) return loadCapabilitiesOrFail(opts.capabilities, opts);
  const file = row.capabilities_path;
  const result = await loadCapabilities(file, clockOf(opts));
  if (!result.ok && result.problems[0]?.line === 0) {
    throw usageError(
      `check ${row.id} was made on ${file}, which ${result.problems[0].message === 'no such file' ? 'no longer exists' : `cannot be read (${result.problems[0].message})`}; give --capabilities FILE`,
    );
  }
  return orFail(file, result);
}

/** What a command on a recorded check works with: its capabilities compiled, and the invocation's now and today in their zone. */
export async function recordedSetting(row: CheckRow, opts: CommonOptions): Promise<{ loaded: LoadedCapabilities; model: Model; now: Date; today: string }> {
  const loaded = await recordedCapabilities(row, opts);
  const zone = loaded.caps.timezone;
  const clock = clockOf(opts);
  return { loaded, model: compile(loaded.caps, loaded.catalogue), now: clock.at(zone), today: clock.today(zone) };
}

/** The capabilities exactly as the check saw them: the copy the log keeps. */
export async function capabilitiesAsRecorded(log: Log, row: CheckRow): Promise<LoadedCapabilities> {
  const kept = await log.keptCapabilities(row.capabilities_sha256);
  const label = `${row.capabilities_path}@${row.capabilities_sha256.slice(0, 12)}`;
  if (kept === undefined) throw usageError(`check ${row.id}: its capabilities (${label}) are missing from the log`);
  const feeds = kept.feeds.map((f) => ({ kind: f.kind, path: f.path, text: f.content() }));
  const result = await capabilitiesFromText(kept.content, label, new Date(row.now), feeds);
  if (!result.ok) throw usageError(`check ${row.id}: its recorded capabilities no longer validate: ${result.problems[0]?.message}`);
  return result.value;
}

/**
 * The model with the log's delivery history (LEARN.md "Evidence on every check"):
 * one read of a small histogram table, whatever the log's size.
 */
export async function withHistory(session: Session): Promise<void> {
  if (session.log && !session.historyRead) await applyHistory(session, await session.log.lateness());
}

async function applyHistory(session: Session, rows: LatenessCount[]): Promise<void> {
  session.historyRead = true;
  if (rows.length === 0) return;
  const [{ historyOf }, { historyView }] = await Promise.all([import('../core/learn/stats.js'), import('../core/learn/evidence.js')]);
  session.model = { ...session.model, history: historyView(historyOf(rows)) };
}
