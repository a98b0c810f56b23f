// The report in a real browser (npm run test:browser): Debian's chromium driven
// by playwright-core renders the page with no console error, and a screenshot
// is kept for a person to look at (test/browser/out/report.png).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { runReport } from '../../src/commands/report/report.js';
import { tempDir } from '../helpers/cli.js';
import { inProcess } from '../helpers/io.js';
import { reportLog } from '../helpers/reportLog.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

const OUT = new URL('out/', import.meta.url).pathname;

it('renders with no console errors, every chart drawn', async () => {
  expect(existsSync(CHROMIUM), `no browser at ${CHROMIUM}: apt-get install chromium`).toBe(true);
  const { log, html } = await reportLog(tempDir());
  expect((await inProcess((io) => runReport({ log, html }, io))).code).toBe(0);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`request to ${r.url()}`));
    await page.goto(`file://${html}`);
    expect(await page.locator('figure svg rect').count()).toBeGreaterThan(8);
    const box = await page.locator('figure#hit-rate svg').boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});
