// Files a command writes (report --html, init, recheck --notices): whole or not
// at all, and only where a regular file is or may be. The text goes to a temp
// file in the target's own folder (same file system: the rename is atomic), then
// is renamed over the target. A FIFO, a device, a directory or a symbolic link at
// the target is refused, never replaced or followed: `/dev/full` stays a device,
// and a planted link does not make us overwrite what it points to.
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { usageError } from '../errors.js';

/** What a non-regular file is, in words. */
function kindOf(stat: ReturnType<typeof lstatSync> & object): string {
  if (stat.isSymbolicLink()) return 'a symbolic link: not followed, not replaced';
  if (stat.isDirectory()) return 'a directory, not a file to replace';
  if (stat.isFIFO()) return 'a named pipe (FIFO), not a file to replace';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device, not a file to replace';
  if (stat.isSocket()) return 'a socket, not a file to replace';
  return 'not a regular file';
}

const codeOf = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** Why a file cannot be written at `path` (its folder or the file there), or null when it can. `label` starts the message: "--html out.html". */
export function outputProblem(path: string, label: string): string | null {
  const folder = dirname(path);
  try {
    if (!statSync(folder).isDirectory()) return `${label}: ${folder} is not a folder`;
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return `${label}: no folder ${folder} (create it first)`;
    if (codeOf(e) === 'ENOTDIR') return `${label}: ${folder} is not a folder (a file is in its path)`;
    return `${label}: cannot reach folder ${folder} (${codeOf(e) ?? (e as Error).message})`;
  }
  try {
    const stat = lstatSync(path);
    if (!stat.isFile()) return `${label}: is ${kindOf(stat)}`;
  } catch (e) {
    if (codeOf(e) !== 'ENOENT') return `${label}: cannot be checked (${codeOf(e) ?? (e as Error).message})`;
  }
  return null;
}

/** Writes `text` to `path` as a whole (temp file in the same folder, then rename), or throws a usage Failure in one line. */
export function writeOutputFile(path: string, text: string, label: string): void {
  const problem = outputProblem(path, label);
  if (problem) throw usageError(problem);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    // O_EXCL | O_NOFOLLOW: never through a link or a file someone placed at the temp name.
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
    const bytes = Buffer.from(text);
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // not created
    }
    const code = codeOf(e);
    const why =
      code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'no space left on the device' : (code ?? (e as Error).message);
    throw usageError(`${label}: cannot be written (${why})`);
  }
}
