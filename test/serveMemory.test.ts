// What keeps a long-running server's memory from growing with the requests it
// has answered (docs/serve.md "Where the memory goes"): the heap bounds the
// server sets itself, its SQLite connection's bounded page cache and no mmap,
// and a bounded number of prepared statements for the shared holds read.

import { once } from 'node:events';
import { join } from 'node:path';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../src/log/sql.js';
import { SqliteDialect } from '../src/log/sqlite/sqliteDialect.js';
import { paddedSkus } from '../src/serve/checking.js';
import { boundHeap, OLD_SLACK_MIB, YOUNG_MIB } from '../src/serve/memory.js';
import { tempDir } from './helpers/cli.js';

const dir = tempDir();
const MiB = 1024 * 1024;
const space = (name: string) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name)!;

describe("a long-running server's SQLite connection", () => {
  const opened: SqliteDialect[] = [];
  afterEach(async () => {
    for (const d of opened.splice(0)) await d.close();
  });

  it('keeps a 2 MiB page cache (better-sqlite3 builds SQLite with 16 MiB) and maps nothing', async () => {
    const server = SqliteDialect.open(join(dir, 'server.db'), { lockTimeoutMs: 1000, longRunning: true });
    const cli = SqliteDialect.open(join(dir, 'cli.db'), { lockTimeoutMs: 1000 });
    opened.push(server, cli);
    expect(await server.all(sql`PRAGMA cache_size`)).toEqual([{ cache_size: -2000 }]);
    expect(await server.all(sql`PRAGMA mmap_size`)).toEqual([{ mmap_size: 0 }]);
    // A CLI run is short: it keeps the build's default.
    expect(await cli.all(sql`PRAGMA cache_size`)).toEqual([{ cache_size: -16000 }]);
  });
});

describe('the holds read shared by the requests of one turn', () => {
  it('asks for the distinct skus, padded to a power of two: a handful of statement texts, not one per count', () => {
    expect(paddedSkus(['A'])).toEqual(['A']);
    expect(paddedSkus(['A', 'B', 'A'])).toEqual(['A', 'B']);
    expect(paddedSkus(['A', 'B', 'C'])).toEqual(['A', 'B', 'C', 'C']);
    const many = Array.from({ length: 33 }, (_, i) => `SKU-${i}`);
    expect(paddedSkus(many)).toHaveLength(64);
    expect(new Set(paddedSkus(many))).toEqual(new Set(many));
    const sizes = new Set(Array.from({ length: 100 }, (_, n) => paddedSkus(many.concat(many, many).slice(0, n + 1)).length));
    expect([...sizes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });
});

describe('the heap bounds a server sets itself', () => {
  it('stops the young generation at YOUNG_MIB and collects the old one a few MiB over its live size', async () => {
    const heap = boundHeap();
    try {
      // Like requests in flight: each round's objects live through a few rounds (a few scavenges), then die.
      const inFlight: unknown[][] = [];
      let live = 0;
      let most = 0;
      for (let round = 0; round < 600; round++) {
        inFlight.push(Array.from({ length: 4000 }, (_, i) => ({ round, i, text: `request ${round}:${i}` })));
        if (inFlight.length > 24) inFlight.shift();
        // The watcher runs between turns, as in a server.
        await new Promise((resolve) => setImmediate(resolve));
        if (round === 100) live = space('old_space').space_used_size;
        if (round > 100) most = Math.max(most, space('old_space').space_size);
      }
      expect(space('new_space').space_size).toBeLessThanOrEqual(YOUNG_MIB * MiB);
      // Measured: 8 MiB over (2 MiB of garbage, and the pages V8 keeps); 65 MiB without boundHeap (and a young generation of 32).
      expect(most - live).toBeLessThan(8 * OLD_SLACK_MIB * MiB);
    } finally {
      heap.stop();
    }
  });

  it("holds the young generation at YOUNG_MIB after a Worker's start set V8's flags back, once told again", async () => {
    const heap = boundHeap();
    try {
      // Objects that live through a few scavenges, allocated in one turn (no watcher in between).
      const burst = () => {
        const alive: object[][] = [];
        for (let n = 0; n < 3000; n++) {
          alive.push(Array.from({ length: 1000 }, (_, i) => ({ n, i })));
          if (alive.length > 256) alive.splice(0, 128);
        }
      };
      for (let turn = 0; turn < 40 && space('new_space').space_size < YOUNG_MIB * MiB; turn++) {
        burst();
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(space('new_space').space_size).toBe(YOUNG_MIB * MiB);
      const worker = new Worker('', { eval: true });
      await once(worker, 'online');
      heap.again();
      burst();
      await worker.terminate();
      // Without again(): 2 × 16 MiB.
      expect(space('new_space').space_size).toBe(YOUNG_MIB * MiB);
    } finally {
      heap.stop();
    }
  });
});
