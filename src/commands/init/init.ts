// promise init [FILE]: a capabilities file to start from. At a terminal it asks
// (questions.ts); without one (or with --no-input) it writes a commented
// skeleton. What it writes always validates: it is checked before it is written,
// and an existing file is never overwritten without --force.
import { existsSync } from 'node:fs';
import type { Io } from '../../cli/io.js';
import { type CommonOptions, canPrompt, clockOf } from '../../cli/options.js';
import { outputProblem, writeOutputFile } from '../../cli/outputFile.js';
import { localTime } from '../../core/time/clock.js';
import { yearOf } from '../../core/time/days.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { type Answers, render } from './template.js';

export interface InitOptions extends CommonOptions {
  force?: boolean;
}

/** The machine's zone, as IANA names it (what a new company most likely sits in). */
export const systemZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export async function runInit(fileArg: string | undefined, opts: InitOptions, io: Io): Promise<ExitCode> {
  const file = fileArg ?? 'capabilities.yaml';
  // Before any question: where it goes must be a folder, and a FIFO or device there is never replaced, even with --force.
  const problem = outputProblem(file, `init ${file}`);
  if (problem) throw usageError(problem);
  if (existsSync(file) && !opts.force) throw usageError(`${file} exists: not overwritten (use --force to replace it)`);
  const zone = systemZone();
  const year = yearOf(localTime(clockOf(opts).at(zone), zone).day);
  const answers = canPrompt(opts, io) ? await (await import('./questions.js')).ask(zone, year) : skeleton(zone, year);
  const text = render(answers);
  // Checked as validate would check it: a file init wrote never fails validation.
  const { parseCapabilities } = await import('../../capabilities/load.js');
  const checked = parseCapabilities(text, file, clockOf(opts));
  if (!checked.ok) throw new Error(`init wrote an invalid file: ${checked.problems[0]?.message}`);
  writeOutputFile(file, text, `init ${file}`);
  const { caps, catalogue } = checked.value;
  io.out.write(
    `Wrote ${file}: ${caps.locations.length} location(s), ${catalogue.skus().length} product(s), ${caps.services.length} service(s), ${caps.calendar.holidays.length} holiday(s).\n` +
      `Next: edit it, then \`promise validate ${file}\` and \`promise capabilities --capabilities ${file}\`.\n`,
  );
  return EXIT.ok;
}

/** --no-input: one location, one lane, one product, one service, every field explained. */
export function skeleton(zone: string, year: number): Answers {
  return {
    company: 'My Company',
    timezone: zone,
    workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    publicHolidays: null,
    years: [year, year + 1],
    locations: [{ id: 'main', name: 'Main warehouse', cutoff: '14:00', handling_days: 1, lanes: [{ to: ['DE'], method: 'standard', transit_days: 2 }] }],
    product: { sku: 'WIDGET', name: 'Example product', on_hand: 100 },
    service: true,
  };
}
