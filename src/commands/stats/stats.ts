// promise stats: promised vs. delivered (hit rate of recorded outcomes) and the
// share of checks that were at risk or infeasible, by sku, region and rep.
import type { Io } from '../../cli/io.js';
import type { CommonOptions } from '../../cli/options.js';
import { existingLog } from '../../cli/session.js';
import { printCsv, printTable, type Row } from '../../cli/table.js';
import { parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';

export interface StatsOptions extends CommonOptions {
  since?: string;
  csv?: boolean;
}

const COLUMNS = ['by', 'group', 'checks', 'at_risk_pct', 'infeasible_pct', 'committed', 'met', 'missed', 'hit_rate_pct'];

export async function runStats(opts: StatsOptions, io: Io): Promise<ExitCode> {
  if (opts.since !== undefined && parseIsoDay(opts.since) === null) throw usageError(`--since must be a date YYYY-MM-DD, not "${opts.since}"`);
  const log = await existingLog(opts, io);
  const rows: Row[] = (await log.stats(opts.since)).map((r) => {
    const decided = r.met + r.missed;
    return {
      by: r.by,
      group: r.group ?? '-',
      checks: r.checks,
      at_risk_pct: pct(r.at_risk, r.checks),
      infeasible_pct: pct(r.infeasible, r.checks),
      committed: r.committed,
      met: r.met,
      missed: r.missed,
      hit_rate_pct: decided === 0 ? null : pct(r.met, decided),
    };
  });
  if (opts.json) io.out.write(`${JSON.stringify(rows)}\n`);
  else if (opts.csv) printCsv(io, rows, COLUMNS);
  else if (rows.length === 0) io.out.write('No checks recorded yet.\n');
  else await printTable(io, rows, COLUMNS);
  return EXIT.ok;
}

const pct = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;
