// better-sqlite3 for the log and the capabilities index, loaded on first use
// through require(): commands that never open a database do not pay for the
// native addon, and CommonJS loading skips the ESM interop lexer.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

let Database: typeof BetterSqlite3 | undefined;
export const sqlite = (): typeof BetterSqlite3 =>
  // In a CommonJS bundle (dist/cli.cjs) require() is there and the bundle carries better-sqlite3's
  // JavaScript: no loader, no search for the addon (scripts/build.mjs). Run as an ES module (tests), createRequire.
  (Database ??= (typeof require === 'function' ? require('better-sqlite3') : createRequire(import.meta.url)('better-sqlite3')) as typeof BetterSqlite3);
