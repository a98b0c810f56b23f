// Tabular output: a terminal table (cli-table3, loaded only here), CSV, or JSON.
export type Row = Record<string, string | number | null>;

export async function printTable(rows: readonly Row[], columns: readonly string[]): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const colour = process.stdout.isTTY === true && !('NO_COLOR' in process.env);
  const table = new Table({ head: [...columns], style: colour ? { head: ['cyan'] } : { head: [], border: [] } });
  for (const r of rows) table.push(columns.map((c) => String(r[c] ?? '')));
  process.stdout.write(`${table.toString()}\n`);
}

export function printCsv(rows: readonly Row[], columns: readonly string[]): void {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    // Quote when needed; prefix formula starters so spreadsheets show text, not run it.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  process.stdout.write(`${columns.join(',')}\n`);
  for (const r of rows) process.stdout.write(`${columns.map((c) => cell(r[c])).join(',')}\n`);
}
