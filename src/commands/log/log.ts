// promise log: recorded checks, filtered, as a table, JSON or CSV; and
// promise log verify: the hash chain over checks and events.
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { requireLog } from '../../cli/logAccess.js';
import type { CommonOptions } from '../../cli/options.js';
import { describePromise } from '../../cli/render.js';
import { printCsv, printTable, type Row } from '../../cli/table.js';
import { parseIsoDay } from '../../core/time/days.js';
import { verifyChain } from '../../log/chain.js';
import { type CheckRow, SELECT_CHECKS } from '../../log/checks.js';

export interface LogOptions extends CommonOptions {
  since?: string;
  sku?: string;
  customer?: string;
  rep?: string;
  verdict?: string;
  status?: string;
  limit?: string;
  csv?: boolean;
}

const VERDICTS = ['feasible', 'at_risk', 'infeasible'];
const STATUSES = ['checked', 'open', 'released', 'met', 'missed'];
const COLUMNS = ['id', 'recorded_at', 'rep', 'customer', 'promise', 'verdict', 'status'];

export async function runLog(opts: LogOptions): Promise<ExitCode> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (opts.since !== undefined) {
    if (parseIsoDay(opts.since) === null) throw usageError(`--since must be a date YYYY-MM-DD, not "${opts.since}"`);
    where.push('c.recorded_at >= ?');
    params.push(opts.since);
  }
  const exact: [keyof LogOptions, string][] = [['sku', 'c.sku'], ['customer', 'c.customer'], ['rep', 'c.rep']];
  for (const [opt, column] of exact) {
    if (opts[opt] !== undefined) {
      where.push(`${column} = ?`);
      params.push(String(opts[opt]));
    }
  }
  if (opts.verdict !== undefined) {
    if (!VERDICTS.includes(opts.verdict)) throw usageError(`--verdict must be one of ${VERDICTS.join(', ')}`);
    where.push('c.verdict = ?');
    params.push(opts.verdict);
  }
  if (opts.status !== undefined) {
    if (!STATUSES.includes(opts.status)) throw usageError(`--status must be one of ${STATUSES.join(', ')}`);
    where.push("COALESCE(m.status, 'checked') = ?");
    params.push(opts.status);
  }
  const limit = opts.limit === undefined ? 1000 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw usageError('--limit must be a whole number of rows');
  const { db } = requireLog(opts);
  const rows = db
    .prepare(`${SELECT_CHECKS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id DESC LIMIT ?`)
    .all(...params, limit) as CheckRow[];

  if (opts.json) {
    const out = rows.map((r) => ({ ...r, promise: JSON.parse(r.promise), result: JSON.parse(r.result) }));
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return EXIT.ok;
  }
  const flat: Row[] = rows.map((r) => ({
    id: r.id,
    recorded_at: r.recorded_at.slice(0, 16).replace('T', ' '),
    rep: r.rep,
    customer: r.customer,
    promise: describePromise(JSON.parse(r.promise)),
    verdict: r.verdict,
    status: r.alternative ? `${r.status} (alt ${r.alternative})` : r.status,
  }));
  if (opts.csv) printCsv(flat, COLUMNS);
  else if (flat.length === 0) process.stdout.write('No checks match.\n');
  else await printTable(flat, COLUMNS);
  return EXIT.ok;
}

export function runLogVerify(opts: CommonOptions): ExitCode {
  const { db, path } = requireLog(opts);
  const results = (['checks', 'events'] as const).map((t) => ({ table: t, ...verifyChain(db, t) }));
  const integrity = db.pragma('integrity_check', { simple: true }) as string;
  const problems = results.flatMap((r) => r.problems);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ok: problems.length === 0 && integrity === 'ok', integrity, tables: results })}\n`);
  } else {
    for (const p of problems) process.stdout.write(`${path}: ${p.table} ${p.message}\n`);
    if (integrity !== 'ok') process.stdout.write(`${path}: integrity_check: ${integrity}\n`);
    if (problems.length === 0 && integrity === 'ok') {
      process.stdout.write(`${path}: ok (${results.map((r) => `${r.rows} ${r.table}`).join(', ')}; hash chain and integrity intact)\n`);
    }
  }
  return problems.length === 0 && integrity === 'ok' ? EXIT.ok : EXIT.infeasible;
}
