// Reading a capabilities file from disk, before any parsing: size, kind and
// permission problems become located problems like any other. No YAML here, so
// the cached path (cache.ts) never loads the parser.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Problem } from './problem.js';
import type { PublicHoliday } from './publicHolidays.js';
import type { Capabilities } from './schema.js';

/** A file larger than this is not a capabilities file anyone maintains by hand. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface LoadedCapabilities {
  file: string;
  text: string;
  sha256: string;
  /** With calendar.holidays holding the public holidays too (expanded when validated). */
  caps: Capabilities;
  /** The public holidays among calendar.holidays, with their names. */
  publicHolidays: PublicHoliday[];
  warnings: Problem[];
}

export type LoadResult = { ok: true; value: LoadedCapabilities } | { ok: false; problems: Problem[] };

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const unreadable = (message: string): { ok: false; problems: Problem[] } => ({
  ok: false,
  problems: [{ severity: 'error', path: [], line: 0, column: 0, message }],
});

export function readCapabilitiesText(file: string): { ok: true; text: string } | { ok: false; problems: Problem[] } {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return unreadable('is a directory, not a capabilities file');
    if (stat.size > MAX_FILE_BYTES) {
      return unreadable(`is ${(stat.size / 1048576).toFixed(1)} MiB; capabilities files are limited to ${MAX_FILE_BYTES / 1048576} MiB`);
    }
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return unreadable('no such file');
    if (code === 'EACCES' || code === 'EPERM') return unreadable('permission denied');
    return unreadable(`cannot be read (${code ?? (e as Error).message})`);
  }
}
