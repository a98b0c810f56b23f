// Tabular output: a terminal table (cli-table3, loaded only here) or CSV. Cells
// are escaped (render.ts `printable`): they hold what reps and customers typed.
import type { Io } from './io.js';
import { printable } from './render.js';

export type Row = Record<string, string | number | null>;

export async function printTable(io: Io, rows: readonly Row[], columns: readonly string[]): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const colour = io.out.isTTY === true && !('NO_COLOR' in io.env);
  const table = new Table({ head: [...columns], style: colour ? { head: ['cyan'] } : { head: [], border: [] } });
  for (const r of rows) table.push(columns.map((c) => printable(String(r[c] ?? ''))));
  io.out.write(`${table.toString()}\n`);
}

export function printCsv(io: Io, rows: readonly Row[], columns: readonly string[]): void {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    // Quote when needed; prefix formula starters so spreadsheets show text, not run it.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  io.out.write(`${columns.join(',')}\n`);
  for (const r of rows) io.out.write(`${columns.map((c) => cell(r[c])).join(',')}\n`);
}
