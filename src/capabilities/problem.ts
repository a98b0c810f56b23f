// A problem found in a capabilities file, located at its YAML node.
export type PathKey = string | number;

export interface Problem {
  severity: 'error' | 'warning';
  /** A supply feed's path as the YAML gives it; absent for the capabilities file itself. */
  file?: string;
  path: PathKey[];
  /** 1-based; 0 when the file could not be read at all. */
  line: number;
  column: number;
  message: string;
}

/** A problem before it is located: crossChecks and the schema speak in paths. */
export interface PathProblem {
  severity: 'error' | 'warning';
  path: PathKey[];
  /** Point at the mapping key rather than its value (unknown keys, duplicate ids). */
  atKey?: boolean;
  message: string;
}

export const dottedPath = (path: PathKey[]): string => path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');

export function formatProblem(file: string, p: Problem): string {
  const where = dottedPath(p.path);
  const prefix = p.severity === 'warning' ? 'warning: ' : '';
  const at = p.line > 0 ? `${p.file ?? file}:${p.line}:${p.column}` : (p.file ?? file);
  return `${at}: ${prefix}${where ? `${where}: ` : ''}${p.message}`;
}
