// promise stats: promised vs. delivered (hit rate of recorded outcomes, how late
// the missed ones were), the share of checks that were at risk or infeasible,
// by sku, region, rep or month; and the demand turned away (infeasible, never
// committed), where the company should add stock or capacity.
import type { Io } from '../../cli/io.js';
import type { CommonOptions } from '../../cli/options.js';
import { companyToday, existingLog } from '../../cli/session.js';
import { printCsv, printTable, type Row } from '../../cli/table.js';
import { parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { type Log, STATS_DIMENSIONS, type StatsDimension, type StatsGroup } from '../../log/log.js';

export interface StatsOptions extends CommonOptions {
  since?: string;
  csv?: boolean;
  /** Comma-separated dimensions; default sku,region,rep. */
  by?: string;
  /** Where to invest: the constraint behind each lost check and broken commitment (constraints.ts). */
  constraints?: boolean;
}

const COLUMNS = [
  'by',
  'group',
  'checks',
  'at_risk_pct',
  'infeasible_pct',
  'committed',
  'met',
  'missed',
  'hit_rate_pct',
  'avg_late_workdays',
  'worst_late_workdays',
];
const LOST_COLUMNS = ['sku', 'region', 'checks', 'units'];

export async function runStats(opts: StatsOptions, io: Io): Promise<ExitCode> {
  if (opts.since !== undefined && parseIsoDay(opts.since) === null) throw usageError(`--since must be a date YYYY-MM-DD, not "${opts.since}"`);
  const dimensions = parseDimensions(opts.by ?? 'sku,region,rep');
  const log = await existingLog(opts, io);
  if (opts.constraints) return constraintsReport(log, opts, io);
  const groups = (await log.stats(opts.since, dimensions)).map(statsRow);
  const lost = await log.lostDemand(opts.since);
  if (opts.json) io.out.write(`${JSON.stringify({ groups, lost_demand: lost })}\n`);
  else if (opts.csv) printCsv(io, groups, COLUMNS);
  else if (groups.length === 0) io.out.write('No checks recorded yet.\n');
  else {
    await printTable(io, groups, COLUMNS);
    if (lost.length > 0) {
      io.out.write('\nLost demand (infeasible, never committed): where more stock or capacity would have sold\n');
      await printTable(io, lost as unknown as Row[], LOST_COLUMNS);
    }
  }
  return EXIT.ok;
}

export function parseDimensions(text: string): StatsDimension[] {
  const dims = text.split(',').map((d) => d.trim());
  const bad = dims.find((d) => !(STATS_DIMENSIONS as readonly string[]).includes(d));
  if (bad !== undefined) throw usageError(`--by: "${bad}" is not one of ${STATS_DIMENSIONS.join(', ')}`);
  return dims as StatsDimension[];
}

/** A group as printed: shares in percent, lateness to a tenth of a workday. */
export function statsRow(r: StatsGroup): Row {
  // SQL's SUM over a month with no commitment at all is NULL, not 0: counts are counts.
  const met = r.met ?? 0;
  const missed = r.missed ?? 0;
  const decided = met + missed;
  return {
    by: r.by,
    group: r.group ?? '-',
    checks: r.checks,
    at_risk_pct: pct(r.at_risk, r.checks),
    infeasible_pct: pct(r.infeasible, r.checks),
    committed: r.committed,
    met,
    missed,
    hit_rate_pct: decided === 0 ? null : pct(met, decided),
    avg_late_workdays: r.avg_late === null ? null : Math.round(r.avg_late * 10) / 10,
    worst_late_workdays: r.worst_late,
  };
}

const pct = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;

const CONSTRAINT_COLUMNS = ['constraint', 'at', 'sku', 'period', 'cases', 'units', 'more', 'would_have'];

async function constraintsReport(log: Log, opts: StatsOptions, io: Io): Promise<ExitCode> {
  const { decidedCases, sentence, summed } = await import('./constraints.js');
  const cases = await decidedCases(log, opts.since, await companyToday(opts, io));
  const sums = summed(cases);
  if (opts.json) io.out.write(`${JSON.stringify({ constraints: sums, cases })}\n`);
  else {
    const rows = sums.map((s) => ({
      constraint: s.kind,
      at: s.at,
      sku: s.sku,
      period: s.period,
      cases: s.cases,
      units: s.units,
      more: s.more,
      would_have: sentence(s),
    }));
    if (opts.csv) printCsv(io, rows, CONSTRAINT_COLUMNS);
    else if (rows.length === 0) io.out.write('No lost checks or broken commitments.\n');
    else await printTable(io, rows, CONSTRAINT_COLUMNS);
  }
  return EXIT.ok;
}
