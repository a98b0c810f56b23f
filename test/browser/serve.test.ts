// The page for reps in a real browser (npm run test:browser): Debian's chromium
// driven by playwright-core, JavaScript off, a phone-sized screen, the keyboard
// alone: sign in, check a promise that cannot be kept, read the verdict, commit
// its alternative, and find it with `promise log`. Nothing is loaded from elsewhere.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { company, serve } from '../helpers/served.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

const OUT = new URL('out/', import.meta.url).pathname;

it('a rep checks, reads the verdict and commits an alternative with the keyboard, without JavaScript, on a phone', async () => {
  expect(existsSync(CHROMIUM), `no browser at ${CHROMIUM}: apt-get install chromium`).toBe(true);
  const c = company();
  const token = c.token('ana', 'commit');
  const s = await serve(c.args);
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'promise-chromium-')), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const elsewhere: string[] = [];
    page.on('request', (r) => !r.url().startsWith(s.url) && elsewhere.push(r.url()));
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(s.url);

    // Sign in: the first Tab reaches the token field.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.locator('#token:focus').count()).toBe(1);
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await page.locator('#delivery-sku').waitFor();
    const cookie = (await context.cookies()).find((k) => k.name === 'promise_token')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // The delivery form, field after field with Tab.
    await page.locator('#delivery-sku').focus();
    for (const value of ['PUMP-100', '500', 'DE', '2026-12-04']) {
      await page.keyboard.type(value);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1#verdict').textContent()).toBe('No: do not promise this');
    expect(await page.locator('ul.reasons').textContent()).toContain('not enough stock for 500');
    const alternative = page.locator('ol.alternatives > li').first();
    expect(await alternative.textContent()).toContain('120 PUMP-100 of 500 to DE by 2026-12-04');
    // Phone-sized: nothing wider than the screen.
    for (const box of [await page.locator('main').boundingBox(), await alternative.boundingBox()]) expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'serve-verdict.png'), fullPage: true });

    await alternative.getByRole('button', { name: 'Commit alternative 1' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1#result').textContent()).toBe('Committed');
    expect(await page.locator('main').textContent()).toContain('Check #1: 120 × PUMP-100 to DE by 2026-12-04');

    // The capabilities sheet for a region.
    await page.goto(`${s.url}capabilities?region=DE`);
    expect(await page.locator('#sheet').textContent()).toContain('PUMP-100');
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
    await s.stop();
  }
  const log = JSON.parse(runCli(['log', '--json', ...c.args]).stdout) as { id: number; rep: string; status: string; alternative: number }[];
  expect(log).toEqual([expect.objectContaining({ id: 1, rep: 'ana', status: 'open', alternative: 1 })]);
});
