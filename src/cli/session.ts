// What every checking command needs: the capabilities (loaded and compiled), the
// instant it runs at, and the log (or none with --no-log).
import type { LoadedCapabilities } from '../capabilities/read.js';
import { isoInZone } from '../core/time/clock.js';
import { compile, type Model } from '../core/model.js';
import { type Db, openLog } from '../log/db.js';
import { type CommonOptions, loadCapabilitiesOrFail, logPath, resolveNow } from './options.js';

export interface Session {
  loaded: LoadedCapabilities;
  model: Model;
  now: Date;
  /** `now` as recorded: ISO 8601 with the company zone's offset. */
  nowText: string;
  log: { db: Db; path: string } | null;
}

export async function openSession(opts: CommonOptions): Promise<Session> {
  const loaded = await loadCapabilitiesOrFail(opts);
  const zone = loaded.caps.timezone;
  const now = resolveNow(opts, zone);
  const path = logPath(opts);
  // Open the log before checking: a check that cannot be recorded is not reported.
  const log = path === null ? null : { db: openLog(path), path };
  return { loaded, model: compile(loaded.caps), now, nowText: isoInZone(now, zone), log };
}
