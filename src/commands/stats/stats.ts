// promise stats: promised vs. delivered (hit rate of recorded outcomes) and the
// share of checks that were at risk or infeasible, by sku, region and rep.
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { requireLog } from '../../cli/logAccess.js';
import type { CommonOptions } from '../../cli/options.js';
import { printCsv, printTable, type Row } from '../../cli/table.js';
import { parseIsoDay } from '../../core/time/days.js';

export interface StatsOptions extends CommonOptions {
  since?: string;
  csv?: boolean;
}

const DIMENSIONS = { sku: "COALESCE(c.sku, c.service)", region: 'c.region', rep: 'c.rep' } as const;
const COLUMNS = ['by', 'group', 'checks', 'at_risk_pct', 'infeasible_pct', 'committed', 'met', 'missed', 'hit_rate_pct'];

export async function runStats(opts: StatsOptions): Promise<ExitCode> {
  if (opts.since !== undefined && parseIsoDay(opts.since) === null) throw usageError(`--since must be a date YYYY-MM-DD, not "${opts.since}"`);
  const { db } = requireLog(opts);
  const rows: Row[] = [];
  for (const [dimension, expr] of Object.entries(DIMENSIONS)) {
    const found = db
      .prepare(
        `SELECT ${expr} AS grp,
           COUNT(*) AS checks,
           SUM(c.verdict = 'at_risk') AS at_risk,
           SUM(c.verdict = 'infeasible') AS infeasible,
           SUM(m.check_id IS NOT NULL) AS committed,
           SUM(m.status = 'met') AS met,
           SUM(m.status = 'missed') AS missed
         FROM checks c LEFT JOIN commitments m ON m.check_id = c.id
         WHERE c.recorded_at >= ?
         GROUP BY grp ORDER BY checks DESC, grp`,
      )
      .all(opts.since ?? '') as { grp: string | null; checks: number; at_risk: number; infeasible: number; committed: number; met: number; missed: number }[];
    for (const r of found) {
      const decided = r.met + r.missed;
      rows.push({
        by: dimension,
        group: r.grp ?? '-',
        checks: r.checks,
        at_risk_pct: pct(r.at_risk, r.checks),
        infeasible_pct: pct(r.infeasible, r.checks),
        committed: r.committed,
        met: r.met,
        missed: r.missed,
        hit_rate_pct: decided === 0 ? null : pct(r.met, decided),
      });
    }
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else if (opts.csv) printCsv(rows, COLUMNS);
  else if (rows.length === 0) process.stdout.write('No checks recorded yet.\n');
  else await printTable(rows, COLUMNS);
  return EXIT.ok;
}

const pct = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;
