// promise validate [FILE]: schema and cross-reference problems, and those of the
// supply feeds it draws on, each located.
import { dirname, isAbsolute, join } from 'node:path';
import { readCapabilitiesFile } from '../../capabilities/load.js';
import { dottedPath, formatProblem, type Problem } from '../../capabilities/problem.js';
import type { Io } from '../../cli/io.js';
import { type CommonOptions, capabilitiesPath, clockOf } from '../../cli/options.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';

export interface ValidateOptions extends CommonOptions {
  format: string;
  strict?: boolean;
}

const FORMATS = ['text', 'json', 'github'] as const;

export function runValidate(fileArg: string | undefined, opts: ValidateOptions, io: Io): ExitCode {
  if (!(FORMATS as readonly string[]).includes(opts.format)) {
    throw usageError(`--format must be one of ${FORMATS.join(', ')}, not "${opts.format}"`);
  }
  const file = fileArg ?? capabilitiesPath(opts, io.env);
  const result = readCapabilitiesFile(file, clockOf(opts));
  const found = result.ok ? result.value.warnings : result.problems;
  // With --strict a warning fails validation: it is shown as the error it then is, in every format.
  const problems = opts.strict ? found.map((p) => ({ ...p, severity: 'error' as const })) : found;
  const failing = problems.some((p) => p.severity === 'error');
  const valid = !failing;

  if (opts.format === 'json') {
    const rows = problems.map((p) => ({
      file: p.file ?? file,
      path: dottedPath(p.path),
      line: p.line,
      column: p.column,
      message: p.message,
      severity: p.severity,
    }));
    io.out.write(`${JSON.stringify({ valid, problems: rows })}\n`);
  } else if (opts.format === 'github') {
    for (const p of problems) io.out.write(`${githubAnnotation(file, p)}\n`);
  } else {
    for (const p of problems) io.err.write(`${formatProblem(file, p)}\n`);
    if (result.ok && valid) {
      const { caps, catalogue } = result.value;
      io.out.write(
        `${file}: valid (${count(caps.locations.length, 'location')}, ${count(catalogue.skus().length, 'product')}, ${count(caps.services.length, 'service')})\n`,
      );
    }
  }
  return valid ? EXIT.ok : EXIT.usage;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** GitHub's workflow-command rules (@actions/core): data escapes %, CR and LF; a property value also `:` and `,`. */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubAnnotation(file: string, p: Problem): string {
  const where = dottedPath(p.path);
  // A feed's path is relative to the capabilities file (or absolute); annotations need it from where validate ran.
  const at = p.file === undefined ? file : isAbsolute(p.file) ? p.file : join(dirname(file), p.file);
  // Line 0: the file could not be read at all; an annotation without a line points at the file.
  const position = p.line > 0 ? `,line=${p.line},col=${p.column}` : '';
  return `::${p.severity === 'warning' ? 'warning' : 'error'} file=${escapeProperty(at)}${position}::${escapeData(where ? `${where}: ${p.message}` : p.message)}`;
}
