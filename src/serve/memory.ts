// A server's heap, bounded by the server itself (no NODE_OPTIONS to remember).
// Measured on the 100,000-request benchmark (docs/serve.md "Where the memory
// goes"): with V8's defaults the young generation doubled after the first 1,000
// requests (2 × 8 → 2 × 16 MiB), and the objects of requests in flight, promoted
// and dead, piled up in the old generation (+20 MiB by 100,000 requests): V8 sets
// the next full collection at up to 4× the live heap, and at least 8 MiB over it.
// V8 reads --semi-space-growth-factor and --heap-growing-percent when it decides,
// not only at start-up, so setting them here works (--max-semi-space-size and
// --max-old-space-size would not: read once, when the heap is made).
import { constants, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

const MiB = 1024 * 1024;
/** The young generation stops growing at this (two semi-spaces of 8 MiB): half V8's most; ~7% more scavenging. */
export const YOUNG_MIB = 16;
/** A full collection once the old generation is this much over what the last one left (or 10% of it, if more). */
export const OLD_SLACK_MIB = 2;
const OLD_GROWTH_PERCENT = 10;

const space = (name: string) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name);

export interface HeapBound {
  /**
   * Sets the flags again. A Worker's start sets V8's flags back to the command
   * line's (measured): started after the young generation had reached YOUNG_MIB,
   * the log's checkpointer let it double to 2 × 16 MiB (+16 MiB of RSS). Call it
   * once the process's threads are started.
   */
  again(): void;
  /** Stops watching. */
  stop(): void;
}

/**
 * Bounds the heap of a long-running process: the young generation grows as V8
 * grows it (doubling) until YOUNG_MIB, then stops growing, and grows again if V8
 * has shrunk it meanwhile; the old generation is collected at 1.1× its live size, and at most
 * OLD_SLACK_MIB over it (V8's own floor is 8 MiB over, which is most of what a
 * small server's RSS grew by).
 */
export function boundHeap(): HeapBound {
  // gc() without --expose-gc on the command line: a context made after the flag has it.
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let growing = true;
  const flags = () => {
    v8.setFlagsFromString(`--heap-growing-percent=${OLD_GROWTH_PERCENT}`);
    v8.setFlagsFromString(`--semi-space-growth-factor=${growing ? 2 : 1}`);
  };
  flags();
  let live = space('old_space')?.space_used_size ?? 0;
  const look = (major: boolean): void => {
    // Not frozen for good: V8 shrinks the young generation when the server idles, and it must grow back
    // (stuck at 2 × 1 MiB after a pause, a server scavenged 8 times as often and spent 3x the CPU per request).
    const young = (space('new_space')?.space_size ?? 0) < YOUNG_MIB * MiB;
    if (young !== growing) {
      growing = young;
      flags();
    }
    const old = space('old_space')?.space_used_size ?? 0;
    if (major) live = old;
    // The garbage of requests that lived through two scavenges: collected now rather than 8 MiB later.
    else if (old > live + Math.max(OLD_SLACK_MIB * MiB, (live * OLD_GROWTH_PERCENT) / 100)) gc();
  };
  look(false);
  const watch = new PerformanceObserver((list) => {
    const entries = list.getEntries();
    look(entries.some((e) => (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR));
  });
  watch.observe({ entryTypes: ['gc'] });
  return { again: flags, stop: () => watch.disconnect() };
}
