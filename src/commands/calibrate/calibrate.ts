// promise calibrate (LEARN.md): per lane, lead time and location's handling, how
// late deliveries really were against their plans and the fewest declared days
// that would have met --target; --format patch/--write turn that into the
// capabilities file, --check fails CI when the file promises faster than the
// history allows. Figures: src/core/learn/; statistics: docs/calibrate.md.
import { renameSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseCapabilities } from '../../capabilities/load.js';
import type { Io } from '../../cli/io.js';
import { type CommonOptions, capabilitiesPath, loadCapabilitiesOrFail } from '../../cli/options.js';
import { existingLog } from '../../cli/session.js';
import { printTable, type Row } from '../../cli/table.js';
import { type CalibrationRow, calibrate, historyOf, tooFast } from '../../core/learn/calibrate.js';
import type { ProductLeads } from '../../core/learn/factors.js';
import { parseIsoDay } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { applySuggestions, unifiedDiff } from './patch.js';

export interface CalibrateOptions extends CommonOptions {
  target?: string;
  since?: string;
  minSamples?: string;
  format?: string;
  write?: boolean;
  check?: boolean;
}

const COLUMNS = ['factor', 'what', 'declared', 'outcomes', 'on_time', 'p50', 'p90', 'p95', 'max', 'suggest', 'finding'];

export async function runCalibrate(opts: CalibrateOptions, io: Io): Promise<ExitCode> {
  const target = Number(opts.target ?? '0.95');
  if (!(target > 0 && target <= 1)) throw usageError(`--target must be a share above 0 and at most 1 (0.95 = 95%), not "${opts.target}"`);
  const minSamples = /^\d{1,9}$/.test(opts.minSamples ?? '20') ? Number(opts.minSamples ?? '20') : Number.NaN;
  if (!(minSamples >= 1)) throw usageError(`--min-samples must be a whole number of at least 1, not "${opts.minSamples}"`);
  if (opts.since !== undefined && parseIsoDay(opts.since) === null) throw usageError(`--since must be a date YYYY-MM-DD, not "${opts.since}"`);
  const format = opts.format ?? (opts.json ? 'json' : 'table');
  if (!['table', 'json', 'patch'].includes(format)) throw usageError(`--format must be table, json or patch, not "${format}"`);
  if (opts.log === false) throw usageError('calibrate reads the log: --no-log does not apply');

  const file = capabilitiesPath(opts, io.env);
  const loaded = await loadCapabilitiesOrFail(file, opts);
  const log = await existingLog(opts, io);
  const history = historyOf(await log.lateness(opts.since));
  // Lead times worth a row: every product of a small catalogue, and any the history knows (a feed's catalogue may be huge).
  const all = loaded.catalogue.skus();
  const skus = new Set([
    ...(all.length <= 10_000 ? all : []),
    ...(history.get('make_to_order')?.keys() ?? []),
    ...(history.get('replenishment')?.keys() ?? []),
  ]);
  const products: (ProductLeads & { sku: string })[] = [];
  for (const sku of skus) {
    const p = loaded.catalogue.get(sku);
    if (p && (p.make_to_order || p.replenishment)) products.push(p);
  }
  const rows = calibrate(loaded.caps, products, history, { target, minSamples });
  const flagged = tooFast(rows);

  if (format === 'patch' || opts.write) {
    const patched = applySuggestions(loaded.text, loaded.caps, rows);
    if (opts.write) {
      if (patched.text !== loaded.text) writeValidated(file, patched.text, opts);
      const written = patched.edits.map((e) => `${e.what}: ${e.from} → ${e.to}`);
      io.out.write(written.length ? `Wrote ${file}:\n${written.map((w) => `  ${w}\n`).join('')}` : `${file}: nothing to change\n`);
    } else io.out.write(unifiedDiff(loaded.text, patched.text, relative(process.cwd(), file).split('\\').join('/')));
    for (const f of patched.feedEdits) {
      io.err.write(`promise: ${f.sku}: set ${f.column} to ${f.to} (now ${f.from}) in the feed ${f.feed}: the file does not hold this figure\n`);
    }
  } else if (format === 'json') {
    io.out.write(`${JSON.stringify({ target, min_samples: minSamples, since: opts.since ?? null, rows: rows.map(jsonRow) })}\n`);
  } else {
    await printTable(io, rows.map(tableRow), COLUMNS);
    io.out.write(`Suggestions meet ${percent(target)} of the history; fewer than ${minSamples} outcomes: not enough evidence.\n`);
  }
  if (opts.check && flagged.length > 0) {
    for (const r of flagged) {
      io.err.write(
        `promise: ${describe(r)} promises ${r.declared} workday${r.declared === 1 ? '' : 's'}; only ${percent(r.lateness!.on_time_share)} of ${r.lateness!.samples} deliveries made that, ${r.suggested} would meet ${percent(target)}\n`,
      );
    }
    return EXIT.infeasible;
  }
  return EXIT.ok;
}

/** Written beside, validated, then moved over the file: an invalid result never replaces a valid file. */
function writeValidated(file: string, text: string, opts: CommonOptions): void {
  const result = parseCapabilities(text, file, new Date(opts.now ?? Date.now()));
  if (!result.ok) throw usageError(`calibrate --write: the result would not validate (${result.problems[0]?.message}); ${file} is unchanged`);
  const temp = `${file}.calibrate-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

const percent = (share: number) => `${Math.floor(share * 1000) / 10}%`;

const NAMES: Record<CalibrationRow['factor'], string> = {
  lane: 'lane',
  make_to_order: 'make to order',
  replenishment: 'replenishment',
  handling: 'handling',
};

function describe(r: CalibrationRow): string {
  if (r.factor === 'lane') {
    const [from, method, region] = r.key.split(' ');
    return `the ${method} lane from ${from} to ${region}`;
  }
  if (r.factor === 'handling') return `handling at ${r.key}`;
  return `${r.key}'s ${NAMES[r.factor]} lead time`;
}

const FINDINGS: Record<CalibrationRow['finding'], string> = {
  not_enough_evidence: 'not enough evidence',
  too_fast: 'promises too fast',
  cautious: 'more cautious than the history',
  holds: 'holds',
  information: 'charged to lanes',
};

function tableRow(r: CalibrationRow): Row {
  const l = r.lateness;
  return {
    factor: NAMES[r.factor],
    what: r.key,
    declared: r.declared,
    outcomes: l?.samples ?? 0,
    on_time: l ? percent(l.on_time_share) : '',
    p50: l?.p50 ?? '',
    p90: l?.p90 ?? '',
    p95: l?.p95 ?? '',
    max: l?.max ?? '',
    suggest: r.suggested ?? '',
    finding: FINDINGS[r.finding],
  };
}

function jsonRow(r: CalibrationRow) {
  return { factor: r.factor, key: r.key, declared: r.declared, ...(r.lateness ?? { samples: 0 }), suggested: r.suggested, finding: r.finding };
}
