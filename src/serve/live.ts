// The capabilities a server answers with: loaded once, reloaded when the file or
// one of its feeds changes (the stat signature moves; the index then decides by
// content hash, as for any check). An edit that does not validate keeps the last
// good version serving; its problem shows on /readyz and once on stderr.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadCapabilities } from '../capabilities/cache.js';
import { formatProblem } from '../capabilities/problem.js';
import type { LoadedCapabilities } from '../capabilities/read.js';
import { compile, type Model } from '../core/model.js';

export interface Version {
  loaded: LoadedCapabilities;
  model: Model;
}

/** How often the files are stat'ed: an edit is served within this. */
const POLL_MS = 500;

export class LiveCapabilities {
  /** Why the file on disk is not what is served (null: it is). */
  problem: string | null = null;
  private signature: string;
  private timer: NodeJS.Timeout | null = null;
  private reloading = false;

  private constructor(
    readonly file: string,
    public current: Version,
    private readonly say: (line: string) => void,
  ) {
    this.signature = signatureOf(file, current.loaded);
  }

  /** The first load must succeed: there is no last good version to fall back on. */
  static async start(file: string, say: (line: string) => void): Promise<LiveCapabilities | { failed: string }> {
    const result = await loadCapabilities(file, new Date());
    if (!result.ok) return { failed: firstError(file, result.problems) };
    const live = new LiveCapabilities(file, version(result.value), say);
    live.timer = setInterval(() => void live.poll(), POLL_MS);
    live.timer.unref();
    return live;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reloads when a file the capabilities drew on has changed since the last look. */
  async poll(): Promise<void> {
    if (this.reloading) return;
    const signature = signatureOf(this.file, this.current.loaded);
    if (signature === this.signature) return;
    this.reloading = true;
    try {
      const result = await loadCapabilities(this.file, new Date());
      this.signature = signature;
      if (result.ok) {
        if (result.value.sha256 !== this.current.loaded.sha256) this.current = version(result.value);
        if (this.problem) this.say(`capabilities ${this.file} valid again: serving ${this.current.loaded.sha256.slice(0, 12)}`);
        this.problem = null;
      } else {
        const problem = firstError(this.file, result.problems);
        if (problem !== this.problem) this.say(`capabilities ${problem}; still serving the last good version ${this.current.loaded.sha256.slice(0, 12)}`);
        this.problem = problem;
      }
    } finally {
      this.reloading = false;
    }
  }
}

/**
 * The process runs in the company's zone: clock.ts switches TZ for every local
 * date it reads unless TZ is already the zone, and each switch resets V8's date
 * cache (measured: ~0.8 ms a check when switched back and forth). Nothing else a
 * server does reads local time.
 */
function version(loaded: LoadedCapabilities): Version {
  process.env.TZ = loaded.caps.timezone;
  return { loaded, model: compile(loaded.caps, loaded.catalogue) };
}

function firstError(file: string, problems: Parameters<typeof formatProblem>[1][]): string {
  const errors = problems.filter((p) => p.severity === 'error');
  return `${formatProblem(file, errors[0] ?? problems[0]!)}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
}

/** Size, mtime and inode of the file and of every feed it drew on: what an editor or an export changes. */
function signatureOf(file: string, loaded: LoadedCapabilities): string {
  const paths = [file, ...loaded.feeds.map((f) => resolve(dirname(file), f.path))];
  return paths
    .map((p) => {
      try {
        const s = statSync(p);
        return `${s.size}:${s.mtimeMs}:${s.ino}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}
