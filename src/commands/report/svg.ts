// Bar charts as plain inline SVG: a few rectangles and labels, with each value
// written on its bar. No library: nothing here needs more than this.

export interface Bar {
  label: string;
  values: number[];
}

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const ROW = 22;
const LABEL = 90;
const WIDTH = 280;

/** Horizontal bars, one group per label, one bar per series, each with its number. */
export function barChart(bars: readonly Bar[], opts: { unit: string; max?: number; series: string[] }): string {
  const max = opts.max ?? Math.max(1, ...bars.flatMap((b) => b.values));
  const per = opts.series.length;
  const height = bars.length * (per * ROW + 8) + 24;
  const parts: string[] = [];
  bars.forEach((bar, i) => {
    const top = i * (per * ROW + 8);
    parts.push(`<text x="0" y="${top + 15}">${escapeHtml(bar.label)}</text>`);
    bar.values.forEach((v, s) => {
      const y = top + s * ROW;
      const w = Math.max(1, Math.round((v / max) * WIDTH));
      parts.push(
        `<rect class="s${s}" x="${LABEL}" y="${y + 3}" width="${w}" height="${ROW - 6}"><title>${escapeHtml(`${bar.label} ${opts.series[s]}: ${v}${opts.unit}`)}</title></rect>`,
      );
      parts.push(`<text x="${LABEL + w + 4}" y="${y + 15}">${escapeHtml(`${v}${opts.unit}`)}</text>`);
    });
  });
  const legend = opts.series.map(
    (name, s) =>
      `<rect class="s${s}" x="${LABEL + s * 110}" y="${height - 16}" width="10" height="10"></rect><text x="${LABEL + s * 110 + 14}" y="${height - 7}">${escapeHtml(name)}</text>`,
  );
  const label = `${opts.series.join(' and ')}: ${bars.map((b) => `${b.label} ${b.values.join('/')}`).join(', ')}`;
  return `<svg role="img" aria-label="${escapeHtml(label)}" width="${LABEL + WIDTH + 60}" height="${height}" viewBox="0 0 ${LABEL + WIDTH + 60} ${height}">${parts.join('')}${legend.join('')}</svg>`;
}
