// Validated capabilities cached by content hash: parsing YAML dominates start-up
// (the yaml package needs ~100 ms cold for a small file, seconds for a large one),
// while a check usually reads a file that has not changed since the last one. A
// miss (or a broken cache file) takes the full path; nothing is trusted that the
// same build did not validate.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BUILD_ID } from '../version.js';
import { type LoadedCapabilities, type LoadResult, readCapabilitiesText, sha256 } from './read.js';

/** Cache files kept; the oldest beyond this are removed. */
const KEEP = 32;

function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'promise');
}

export async function loadCapabilities(file: string, now: Date): Promise<LoadResult> {
  const read = readCapabilitiesText(file);
  return read.ok ? capabilitiesFromText(read.text, file, now) : read;
}

/** Capabilities from their text (a file's, or the copy a log recorded), through the cache. */
export async function capabilitiesFromText(text: string, file: string, now: Date): Promise<LoadResult> {
  const hash = sha256(text);
  const entry = join(cacheDir(), `${sha256(`${BUILD_ID}\u0000${hash}`)}.json`);
  const cached = readCache(entry);
  if (cached) return { ok: true, value: { file, text, sha256: hash, ...cached, warnings: [] } };
  const { parseCapabilities } = await import('./load.js');
  const result = parseCapabilities(text, file, now);
  if (result.ok) writeCache(entry, { caps: result.value.caps, publicHolidays: result.value.publicHolidays });
  return result;
}

/** What the cache keeps of a validated file: the capabilities with public holidays expanded. */
type Cached = Pick<LoadedCapabilities, 'caps' | 'publicHolidays'>;

function readCache(entry: string): Cached | null {
  try {
    const cached = JSON.parse(readFileSync(entry, 'utf8')) as Cached;
    return cached.caps && Array.isArray(cached.publicHolidays) ? cached : null;
  } catch {
    return null;
  }
}

/** Best effort: a read-only or full cache directory only costs speed. */
function writeCache(entry: string, cached: Cached): void {
  try {
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${entry}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(cached));
    renameSync(tmp, entry);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    if (files.length > KEEP) {
      const byAge = files.map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => a.t - b.t);
      for (const { f } of byAge.slice(0, files.length - KEEP)) unlinkSync(join(dir, f));
    }
  } catch {
    // ignore
  }
}
