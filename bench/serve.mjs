// promise serve's figures (issue 23): checks per second and p50/p99 latency with
// 32 concurrent clients (autocannon) posting the lines of the benchmark batch,
// beside the same checks as one `check --input` batch; and the server's RSS
// after 1,000, 10,000 and 100,000 requests; and no answered check lost when the
// server is SIGKILLed under load. Run alone: node bench/serve.mjs.
//
// The machine is shared: a batch run alone swung 1,700-4,600 checks/s within
// minutes. So the ratio is also measured in rounds, a batch and the server
// taking turns on the same number of checks (ROUNDS of ROUND_LINES), each round's
// ratio under the same load; and beside the rates, the CPU time each spends per
// check, which the load moves far less.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { generateBatch, generateCapabilities } from './generate.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'promise.js');
const NOW = ['--now', '2026-11-23T10:00'];
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
/** CPU ms (user + system) of a process; `children`: of its children waited for (spawnSync's). */
const cpuMs = (pid, children = false) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const [u, s] = children ? [f[13], f[14]] : [f[11], f[12]];
  return ((Number(u) + Number(s)) * 1000) / 100; // USER_HZ: 100 on Linux
};
/** CPU ms of a process's main thread (the server's event loop), without its other threads (the log's writer, V8's helpers). */
const mainThreadMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ROUNDS = Number(process.env.SERVE_ROUNDS ?? 3);
const ROUND_LINES = 20_000;

function fresh(log) {
  for (const s of ['', '-wal', '-shm']) rmSync(`${log}${s}`, { force: true });
}

export async function serveBench({ out, caps, batchFile, lines, env }) {
  // 1,000 distinct promises, asked over and over: after the first 1,000 requests
  // every product they touch is compiled (the model keeps each product it has
  // built, bounded by the catalogue), so RSS growth after that is what requests leak.
  const distinct = readFileSync(batchFile, 'utf8').split('\n').slice(0, 1000);
  const bodies = Array.from({ length: lines }, (_, i) => distinct[i % distinct.length]);
  const sameChecks = join(out, `serve-same-${lines}.ndjson`);
  writeFileSync(sameChecks, `${bodies.join('\n')}\n`);
  // The batch: the same checks in one process, logged; run before and after the
  // server (the machine is shared: the ratio is to the mean of the two).
  const batchLog = join(out, 'serve-batch.db');
  const roundChecks = join(out, `serve-round-${ROUND_LINES}.ndjson`);
  writeFileSync(roundChecks, `${bodies.slice(0, ROUND_LINES).join('\n')}\n`);
  const oneCheck = join(out, 'serve-one.ndjson');
  writeFileSync(oneCheck, `${bodies[0]}\n`);
  /** One `check --input` run: its seconds and CPU ms. `again`: on the log as the last run left it (as the server's grows). */
  const runBatch = (file, again = false) => {
    if (!again) fresh(batchLog);
    const t = process.hrtime.bigint();
    const cpu = cpuMs(process.pid, true);
    const b = spawnSync(process.execPath, [BIN, 'check', '--capabilities', caps, '--input', file, '--json', '--log', batchLog, ...NOW], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (b.status !== 0 && b.status !== 1 && b.status !== 3) throw new Error(String(b.stderr));
    return { seconds: Number(process.hrtime.bigint() - t) / 1e9, cpu: cpuMs(process.pid, true) - cpu };
  };
  const batch = () => bodies.length / runBatch(sameChecks).seconds;
  const batchBefore = batch();

  // The server, on its own log, with a token that is not rate-limited in practice.
  const log = join(out, 'serve.db');
  fresh(log);
  const token = spawnSync(process.execPath, [BIN, 'token', 'add', 'bench', '--log', log], { env, encoding: 'utf8' }).stdout.trim();
  // SERVE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": profile the server alone.
  const nodeArgs = (process.env.SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', '--rate', '9999999', '--capabilities', caps, '--log', log, ...NOW], {
    env,
    stdio: ['ignore', 'pipe', process.env.SERVE_STDERR ? 'inherit' : 'ignore'],
  });
  const url = await new Promise((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (d) => {
      if (process.env.SERVE_STDOUT) process.stdout.write(d);
      text += d;
      const m = /^(http:\/\/\S+)\/\n/m.exec(text);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  let next = 0;
  const load = (amount) =>
    autocannon({
      url,
      connections: 32,
      amount,
      // autocannon reports a run with `amount` done only at its next sample tick (every 1,000 ms by default):
      // each load's time was rounded up to a whole second, 4-20% of a load of 20,000 (serve's rate under-read).
      sampleInt: 10,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      requests: [{ method: 'POST', path: '/v1/checks', setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
    });
  try {
    const warm = await load(1000);
    if (warm.non2xx > 0) throw new Error(`${warm.non2xx} answers were not 200`);
    const after1k = rssKiB(server.pid);
    // After 10k too: what grows until then is warm-up (docs/serve.md), what grows after it would be a leak.
    const parts = [await load(9000)];
    const after10k = rssKiB(server.pid);
    parts.push(await load(lines - 10_000));
    for (const main of parts) if (main.non2xx > 0 || main.errors > 0) throw new Error(`${main.non2xx} answers were not 200, ${main.errors} errors`);
    const after100k = rssKiB(server.pid);
    const main = {
      requests: { total: parts[0].requests.total + parts[1].requests.total },
      duration: parts[0].duration + parts[1].duration,
      latency: parts[1].latency,
    };
    const perSecond = main.requests.total / main.duration;
    // Rounds: the batch (its process start taken out: a one-line run, timed in the round) and the server in turn.
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const start = runBatch(oneCheck, true);
      const b = runBatch(roundChecks, true);
      const cpu = cpuMs(server.pid);
      const mainCpu = mainThreadMs(server.pid);
      const t = process.hrtime.bigint();
      const s = await load(ROUND_LINES);
      if (s.non2xx > 0 || s.errors > 0) throw new Error(`${s.non2xx} answers were not 200, ${s.errors} errors`);
      const seconds = Number(process.hrtime.bigint() - t) / 1e9;
      const batchRate = ROUND_LINES / (b.seconds - start.seconds);
      rounds.push({
        batchRate,
        serveRate: ROUND_LINES / seconds,
        ratio: ROUND_LINES / seconds / batchRate,
        batchCpu: (b.cpu - start.cpu) / ROUND_LINES,
        serveCpu: (cpuMs(server.pid) - cpu) / ROUND_LINES,
        serveMainCpu: (mainThreadMs(server.pid) - mainCpu) / ROUND_LINES,
      });
    }
    // SIGKILL under load (SERVE.md): every check answered 200 must be in the log, as answered.
    const answered = new Map();
    const killed = autocannon({
      url,
      connections: 32,
      amount: 1_000_000,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST',
          path: '/v1/checks',
          setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
          onResponse: (status, body) => {
            if (status !== 200) return;
            const { id, verdict } = JSON.parse(body);
            answered.set(id, verdict);
          },
        },
      ],
    });
    const before = answered.size;
    while (answered.size < before + 5_000) await new Promise((r) => setTimeout(r, 5));
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    killed.stop();
    await killed;
    const db = new Database(log, { readonly: true });
    const verdictOf = db.prepare('SELECT verdict FROM checks WHERE id = ?').pluck();
    const lost = [...answered].filter(([id, verdict]) => verdictOf.get(id) !== verdict).length;
    db.close();
    const batchAfter = batch();
    const batchPerSecond = (batchBefore + batchAfter) / 2;
    const growth = after100k / after1k - 1;
    const roundRatio = median(rounds.map((r) => r.ratio));
    return [
      {
        figure: 'serve: checks/s, 32 concurrent clients (logged)',
        value: `${fmt(perSecond)} checks/s; p50 ${main.latency.p50} ms, p99 ${main.latency.p99} ms (${fmt(main.requests.total)} requests; latency of the last ${fmt(lines - 10_000)})`,
        goal: '>= half the batch rate',
      },
      {
        figure: 'serve vs the same checks as one check --input batch',
        value: `${fmt(perSecond / batchPerSecond, 2)}x (batch: ${fmt(batchBefore)} checks/s before, ${fmt(batchAfter)} after)`,
        goal: `>= 0.5x: ${perSecond / batchPerSecond >= 0.5 ? 'met' : 'NOT met'}`,
      },
      {
        figure: `serve vs the batch, in ${ROUNDS} rounds of ${fmt(ROUND_LINES / 1000)}k taking turns (median)`,
        value: `${fmt(roundRatio, 2)}x (rounds: ${rounds.map((r) => `${fmt(r.serveRate)} vs ${fmt(r.batchRate)} checks/s, ${fmt(r.ratio, 2)}x`).join('; ')})`,
        goal: `>= 0.5x: ${roundRatio >= 0.5 ? 'met' : 'NOT met'} by the median; ${rounds.filter((r) => r.ratio >= 0.5).length} of ${ROUNDS} rounds >= 0.5x`,
      },
      {
        figure: 'serve vs the batch: CPU ms per check (server process; batch process without its start)',
        value: `${rounds.map((r) => `${fmt(r.serveCpu, 3)} vs ${fmt(r.batchCpu, 3)}`).join('; ')} (${fmt(median(rounds.map((r) => r.serveCpu / r.batchCpu)), 2)}x)`,
        goal: 'what the load moves least',
      },
      {
        figure: "serve: CPU ms per check on the server's main thread (its event loop)",
        value: `${rounds.map((r) => fmt(r.serveMainCpu, 3)).join('; ')} (${fmt(median(rounds.map((r) => r.serveMainCpu / r.batchCpu)), 2)}x the batch's per check)`,
        goal: 'what bounds its rate on an idle machine',
      },
      {
        figure: 'serve: SIGKILLed under load (32 clients), checks answered 200 missing from the log',
        value: `${fmt(lost)} of ${fmt(answered.size)} answered (killed after the first 5,000 of this load)`,
        goal: `none lost: ${lost === 0 ? 'met' : 'NOT met'}`,
      },
      {
        figure: `serve: RSS after ${fmt(lines / 1000)}k requests vs after 1k`,
        value: `${fmt(after100k / 1024)} MiB vs ${fmt(after1k / 1024)} MiB (${growth >= 0 ? '+' : ''}${fmt(growth * 100, 1)}%)`,
        goal: `within 10%: ${growth <= 0.1 ? 'met' : 'NOT met'}`,
      },
      {
        figure: `serve: RSS after 1k, 10k, ${fmt(lines / 1000)}k requests`,
        value: `${fmt(after1k / 1024, 1)}, ${fmt(after10k / 1024, 1)}, ${fmt(after100k / 1024, 1)} MiB (10k to ${fmt(lines / 1000)}k: ${after100k >= after10k ? '+' : ''}${fmt((after100k / after10k - 1) * 100, 1)}%)`,
        goal: 'no leak: bounded',
      },
    ];
  } finally {
    server.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = join(ROOT, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const lines = Number(process.env.BENCH_LINES ?? 100_000);
  const caps = join(out, 'caps-10k.yaml');
  const batchFile = join(out, `batch-${lines}.ndjson`);
  if (!existsSync(caps)) generateCapabilities(caps);
  if (!existsSync(batchFile)) generateBatch(batchFile, { lines });
  const env = { ...process.env, XDG_CACHE_HOME: join(out, 'cache'), NO_COLOR: '1', PROMISE_REP: 'bench' };
  console.table(await serveBench({ out, caps, batchFile, lines, env }));
}
