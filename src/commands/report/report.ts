// promise report --html FILE: one self-contained page (inline CSS and SVG, no
// script, no network) for people who would rather look than read: hit rate by
// month, the share of at-risk and infeasible checks, lateness, and lost demand
// by sku, each chart with its numbers beside it in a table, readable printed.
import type { Io } from '../../cli/io.js';
import type { CommonOptions } from '../../cli/options.js';
import { outputProblem, writeOutputFile } from '../../cli/outputFile.js';
import { companyToday, existingLog } from '../../cli/session.js';
import type { ConstraintSum } from '../../core/learn/constraints.js';
import { parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import type { LostDemand } from '../../log/log.js';
import { statsRow } from '../stats/stats.js';
import { type Bar, barChart, escapeHtml } from './svg.js';

export interface ReportOptions extends CommonOptions {
  html?: string;
  since?: string;
}

export async function runReport(opts: ReportOptions, io: Io): Promise<ExitCode> {
  if (!opts.html) throw usageError('report needs --html FILE');
  if (opts.since !== undefined && parseIsoDay(opts.since) === null) throw usageError(`--since must be a date YYYY-MM-DD, not "${opts.since}"`);
  // Before reading the log: a target that cannot be written is known at once.
  const problem = outputProblem(opts.html, `--html ${opts.html}`);
  if (problem) throw usageError(problem);
  const log = await existingLog(opts, io);
  const months = (await log.stats(opts.since, ['month'])).map(statsRow).sort((a, b) => String(a.group).localeCompare(String(b.group)));
  const lost = await log.lostDemand(opts.since);
  const { decidedCases, sentence, summed } = await import('../stats/constraints.js');
  const invest = summed(await decidedCases(log, opts.since, await companyToday(opts, io))).map((c) => ({ ...c, text: sentence(c) }));
  const page = html(log.name, months as unknown as MonthRow[], lost, invest);
  writeOutputFile(opts.html, page, `--html ${opts.html}`);
  io.out.write(`Wrote ${opts.html}: ${months.length} month(s), ${lost.length} lost-demand row(s)\n`);
  return EXIT.ok;
}

interface MonthRow {
  group: string;
  checks: number;
  at_risk_pct: number;
  infeasible_pct: number;
  met: number;
  missed: number;
  hit_rate_pct: number | null;
  avg_late_workdays: number | null;
  worst_late_workdays: number | null;
}

function html(source: string, months: MonthRow[], lost: LostDemand[], invest: (ConstraintSum & { text: string })[]): string {
  const month = (m: MonthRow) => m.group;
  const figures = [
    figure(
      'hit-rate',
      'Hit rate by month: promises kept of those with an outcome',
      ['Month', 'Met', 'Missed', 'Hit rate %'],
      months.map((m) => [month(m), m.met, m.missed, m.hit_rate_pct ?? '–']),
      barChart(
        months.map((m): Bar => ({ label: month(m), values: [m.hit_rate_pct ?? 0] })),
        { unit: '%', max: 100, series: ['hit rate'] },
      ),
    ),
    figure(
      'risk',
      'Share of checks at risk and infeasible, by month',
      ['Month', 'Checks', 'At risk %', 'Infeasible %'],
      months.map((m) => [month(m), m.checks, m.at_risk_pct, m.infeasible_pct]),
      barChart(
        months.map((m): Bar => ({ label: month(m), values: [m.at_risk_pct, m.infeasible_pct] })),
        { unit: '%', max: 100, series: ['at risk', 'infeasible'] },
      ),
    ),
    figure(
      'lateness',
      'Lateness of outcomes, in workdays after the promised date',
      ['Month', 'Average', 'Worst'],
      months.map((m) => [month(m), m.avg_late_workdays ?? '–', m.worst_late_workdays ?? '–']),
      barChart(
        months.map((m): Bar => ({ label: month(m), values: [m.avg_late_workdays ?? 0, m.worst_late_workdays ?? 0] })),
        { unit: ' wd', series: ['average', 'worst'] },
      ),
    ),
    figure(
      'lost-demand',
      'Lost demand by sku: units asked for and never committed (infeasible)',
      ['SKU', 'Region', 'Checks', 'Units'],
      lost.map((l) => [l.sku, l.region, l.checks, l.units]),
      barChart(
        bySku(lost).map(([sku, units]): Bar => ({ label: sku, values: [units] })),
        { unit: '', series: ['units'] },
      ),
    ),
    figure(
      'where-to-invest',
      'Where to invest: the constraint behind each lost check and broken commitment, and how much more would have won it',
      ['Month', 'Constraint', 'Cases', 'Units', 'Would have'],
      invest.map((c) => [c.period, c.kind.replace('_', ' '), c.cases, c.units, c.text]),
      barChart(
        invest.slice(0, 15).map((c): Bar => ({ label: `${c.kind} ${c.at}`, values: [c.units] })),
        { unit: '', series: ['units'] },
      ),
    ),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Promises: kept, at risk, late, lost</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; color: #1b1b1b; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  h1 { font-size: 1.4rem; } figure { margin: 2rem 0; break-inside: avoid; }
  figcaption { font-weight: 600; margin-bottom: .5rem; }
  .chart { display: flex; gap: 1.5rem; align-items: flex-start; flex-wrap: wrap; }
  table { border-collapse: collapse; } th, td { border-bottom: 1px solid #ccc; padding: .15rem .6rem; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  svg text { font: 11px system-ui, sans-serif; fill: #1b1b1b; }
  .s0 { fill: #2f6fb0; } .s1 { fill: #d1495b; }
  @media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>Promises: kept, at risk, late, lost</h1>
<p>From ${escapeHtml(source)}. Months are those of the checks, in the company's time zone.</p>
${figures.join('\n')}
</body>
</html>
`;
}

function figure(id: string, caption: string, head: string[], rows: (string | number)[][], svg: string): string {
  const table = `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const body = rows.length === 0 ? '<p>Nothing recorded yet.</p>' : `<div class="chart">${svg}${table}</div>`;
  return `<figure id="${id}"><figcaption>${escapeHtml(caption)}</figcaption>${body}</figure>`;
}

/** Units by sku over every region, largest first, the top 15. */
function bySku(lost: LostDemand[]): [string, number][] {
  const units = new Map<string, number>();
  for (const l of lost) units.set(l.sku, (units.get(l.sku) ?? 0) + l.units);
  return [...units].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 15);
}
