// Reading a capabilities file from disk, before any parsing: size, kind and
// permission problems become located problems like any other. No YAML here, so
// the cached path (cache.ts) never loads the parser.
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Catalogue, Policy } from '../core/model.js';
import type { FeedKind } from './feeds.js';
import type { Problem } from './problem.js';
import type { PublicHoliday } from './publicHolidays.js';

/** A file larger than this is not a capabilities file anyone maintains by hand. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** A feed the capabilities drew on: its text is read only when a log must keep it. */
export interface FeedSource {
  kind: FeedKind;
  /** As the YAML gives it (relative to the capabilities file). */
  path: string;
  sha256: string;
  text: () => string;
}

export interface LoadedCapabilities {
  file: string;
  /** The YAML's text. */
  text: string;
  /** The content hash of the YAML and every feed (capabilitiesSha). */
  sha256: string;
  feeds: FeedSource[];
  /** Everything but the products; calendar.holidays holds the public holidays too (expanded when validated). */
  caps: Policy;
  /** The products of the YAML and the feeds, merged. */
  catalogue: Catalogue;
  /** The public holidays among calendar.holidays, with their names. */
  publicHolidays: PublicHoliday[];
  warnings: Problem[];
}

export type LoadResult = { ok: true; value: LoadedCapabilities } | { ok: false; problems: Problem[] };

export const unreadable = (message: string): { ok: false; problems: Problem[] } => ({
  ok: false,
  problems: [{ severity: 'error', path: [], line: 0, column: 0, message }],
});

/** Feeds are data, not hand-kept: larger, but still one string in memory. */
export const MAX_FEED_BYTES = 256 * 1024 * 1024;

export function readCapabilitiesText(file: string): { ok: true; text: string } | { ok: false; problems: Problem[] } {
  const read = readText(file, MAX_FILE_BYTES, 'capabilities file');
  return read.ok ? read : unreadable(read.message);
}

/** Where a feed the YAML names is: relative to the capabilities file's folder, or absolute (ERP exports live elsewhere). */
export const feedPath = (capabilitiesFile: string, path: string): string => resolve(dirname(capabilitiesFile), path);

/** Kernel views, not files: /proc/self/environ is the process's secrets, and their sizes lie. */
const PSEUDO = /^\/(proc|sys)(\/|$)/;

/** What a non-regular file is, in words. */
function kindOf(stat: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * A text file, or why it cannot be read (in words that follow its name). Only a
 * regular file outside /proc and /sys is read: a FIFO would block forever, a
 * device never end, and neither is a file anyone keeps. Opened without blocking
 * and checked on the open descriptor, so a file swapped after the check is not read.
 */
export function readText(file: string, limit: number, noun: string): { ok: true; text: string } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  let fd: number | undefined;
  try {
    if (PSEUDO.test(realpathSync(file))) return fail(`is a kernel file under /proc or /sys, not a ${noun}`);
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return fail(`is ${kindOf(stat)}, not a ${noun}`);
    if (stat.size > limit) return fail(`is ${(stat.size / 1048576).toFixed(1)} MiB; a ${noun} is limited to ${limit / 1048576} MiB`);
    return { ok: true, text: readFileSync(fd, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('no such file');
    if (code === 'EACCES' || code === 'EPERM') return fail('permission denied');
    if (code === 'EISDIR') return fail(`is a directory, not a ${noun}`);
    return fail(`cannot be read (${code ?? (e as Error).message})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
