// promise log: recorded checks, filtered, as a table, JSON or CSV.
import type { Io } from '../../cli/io.js';
import type { CommonOptions } from '../../cli/options.js';
import { describePromise } from '../../cli/render.js';
import { companyToday, existingLog } from '../../cli/session.js';
import { printCsv, printTable, type Row } from '../../cli/table.js';
import { parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { STATUSES, statusOn } from '../../log/log.js';

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
const COLUMNS = ['id', 'recorded_at', 'rep', 'customer', 'promise', 'verdict', 'status'];

export async function runLog(opts: LogOptions, io: Io): Promise<ExitCode> {
  if (opts.since !== undefined && parseIsoDay(opts.since) === null) throw usageError(`--since must be a date YYYY-MM-DD, not "${opts.since}"`);
  if (opts.verdict !== undefined && !VERDICTS.includes(opts.verdict)) throw usageError(`--verdict must be one of ${VERDICTS.join(', ')}`);
  if (opts.status !== undefined && !(STATUSES as readonly string[]).includes(opts.status)) throw usageError(`--status must be one of ${STATUSES.join(', ')}`);
  const limit = opts.limit === undefined ? 1000 : /^\d{1,9}$/.test(opts.limit) ? Number(opts.limit) : 0;
  if (limit < 1) throw usageError('--limit must be a whole number of rows');
  const log = await existingLog(opts, io);
  const today = await companyToday(opts, io);
  const rows = await log.listChecks({
    today,
    since: opts.since,
    sku: opts.sku,
    customer: opts.customer,
    rep: opts.rep,
    verdict: opts.verdict,
    status: opts.status,
    limit,
  });

  if (opts.json) {
    const out = rows.map((r) => ({ ...r, status: statusOn(r, today), promise: JSON.parse(r.promise), result: JSON.parse(r.result) }));
    io.out.write(`${JSON.stringify(out)}\n`);
    return EXIT.ok;
  }
  const flat: Row[] = rows.map((r) => ({
    id: r.id,
    // A table is read by people (UTC to the minute); CSV by programs and spreadsheets: the instant as recorded, ISO 8601 with its offset (Z).
    recorded_at: opts.csv ? r.recorded_at : r.recorded_at.slice(0, 16).replace('T', ' '),
    rep: r.rep,
    customer: r.customer,
    promise: describePromise(JSON.parse(r.promise)),
    verdict: r.verdict,
    status: `${statusOn(r, today)}${r.status === 'held' ? ` until ${r.hold_until}` : ''}${r.alternative ? ` (alt ${r.alternative})` : ''}${r.ref ? `, order ${r.ref}` : ''}`,
  }));
  if (opts.csv) printCsv(io, flat, COLUMNS);
  else if (flat.length === 0) io.out.write('No checks match.\n');
  else await printTable(io, flat, COLUMNS);
  return EXIT.ok;
}
