// Opening the log for commands that need it (everything but check/validate/schema).
import { type Db, openLog } from '../log/db.js';
import { usageError } from '../errors.js';
import { type CommonOptions, logPath } from './options.js';

export function requireLog(opts: CommonOptions): { db: Db; path: string } {
  const path = logPath(opts);
  if (path === null) throw usageError('this command reads the log: --no-log does not apply');
  return { db: openLog(path), path };
}

export function parseId(text: string, what = 'ID'): number {
  if (!/^\d{1,15}$/.test(text)) throw usageError(`${what} must be a check id (a whole number), not "${text}"`);
  return Number(text);
}
