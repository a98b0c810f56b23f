// Recorded in every log row, so a replay knows which release produced a result.
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;

declare global {
  // Replaced at build time by a hash of the sources (scripts/build.mjs).
  var PROMISE_BUILD_ID: string | undefined;
}
/**
 * Identifies the exact build, for caches that must not outlive it. Run from
 * source (the in-process tests), the code may have changed since any earlier
 * run, so nothing cached by another process is trusted.
 */
export const BUILD_ID: string = globalThis.PROMISE_BUILD_ID ?? `source-${process.pid}-${Date.now()}`;
