// promise report --html: the page parsed back (every chart has its numbers beside
// it; nothing reaches outside the file). The browser test renders it (npm run test:browser).
import { readFileSync } from 'node:fs';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany } from '../../../test/helpers/logged.js';
import { reportLog } from '../../../test/helpers/reportLog.js';
import { runReport } from './report.js';

const dir = tempDir();

describe('promise report --html', async () => {
  const { log, html } = await reportLog(dir);
  const r = await inProcess((io) => runReport({ log, html }, io));
  const text = readFileSync(html, 'utf8');
  const page = parse(text);
  const table = (id: string) => page.querySelectorAll(`figure#${id} tbody tr`).map((tr) => tr.querySelectorAll('td').map((td) => td.text));

  it('writes one page', () => {
    expect(r).toMatchObject({ code: 0, stdout: `Wrote ${html}: 2 month(s), 1 lost-demand row(s)\n` });
  });

  it('every chart is an inline SVG with its numbers in a table beside it', () => {
    const figures = page.querySelectorAll('figure');
    expect(figures.map((f) => f.id)).toEqual(['hit-rate', 'risk', 'lateness', 'lost-demand', 'where-to-invest']);
    for (const f of figures) {
      expect(f.querySelector('svg')).not.toBeNull();
      expect(f.querySelector('table')).not.toBeNull();
    }
    expect(table('hit-rate')).toEqual([
      ['2026-11', '1', '1', '50'],
      ['2026-12', '1', '0', '100'],
    ]);
    expect(table('risk')).toEqual([
      ['2026-11', '4', '0', '50'],
      ['2026-12', '1', '0', '0'],
    ]);
    expect(table('lateness')).toEqual([
      ['2026-11', '1.5', '3'],
      ['2026-12', '0', '0'],
    ]);
    expect(table('lost-demand')).toEqual([['PUMP-100', 'DE', '2', '550']]); // 500, and 50 too late
    // 500 to DE by 4 Dec: berlin has 120, so 380 more there; 50 by Tue 24 Nov: berlin's ready day is the
    // 24th (1 handling day), express arrives the 25th: no handling there would have made it; the 6
    // committed by 27 Nov and delivered 2 Dec ran 3 workdays over on berlin's express lane.
    expect(table('where-to-invest')).toEqual([
      ['2026-11', 'handling', '1', '50', 'handling at berlin 1 workday faster would have won 1 order of PUMP-100 (50 units) in 2026-11'],
      ['2026-11', 'lane', '1', '6', 'the express lane from berlin to DE 3 workdays faster would have won or kept 1 order of PUMP-100 (6 units) in 2026-11'],
      ['2026-11', 'stock', '1', '500', '+380 units of stock at berlin would have won 1 order of PUMP-100 (500 units) in 2026-11'],
    ]);
    // The numbers are on the bars too, not only in the tables.
    expect(page.querySelector('figure#lost-demand svg')!.text).toContain('550');
  });

  it('is self-contained: no script, no external URL anywhere', () => {
    expect(page.querySelectorAll('script, link, img, iframe')).toEqual([]);
    expect(text).not.toMatch(/https?:|\/\/[a-z]|url\(/i);
  });
});

describe('a month without outcomes (issue 22)', () => {
  it('shows 0 met and 0 missed, never null', async () => {
    const { check, log } = loggedCompany(dir, 'no-outcomes');
    await check(5);
    const html = `${dir}/no-outcomes.html`;
    expect((await inProcess((io) => runReport({ log, html }, io))).code).toBe(0);
    const text = readFileSync(html, 'utf8');
    expect(text).not.toContain('null');
    const rows = parse(text)
      .querySelectorAll('figure#hit-rate tbody tr')
      .map((tr) => tr.querySelectorAll('td').map((td) => td.text));
    expect(rows).toEqual([['2026-11', '0', '0', '–']]);
  });
});
