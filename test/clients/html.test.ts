// The HTML report through the W3C Nu HTML Checker (npm run test:clients): the
// vnu.jar the npm package vnu-jar ships, run by Debian's Java (.ci/run installs
// default-jre-headless when java is missing). Errors and warnings both fail.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runReport } from '../../src/commands/report/report.js';
import { tempDir } from '../helpers/cli.js';
import { inProcess } from '../helpers/io.js';
import { loggedCompany } from '../helpers/logged.js';
import { reportLog } from '../helpers/reportLog.js';

const vnu = createRequire(import.meta.url)('vnu-jar') as string;

function check(file: string): { type: string; message: string; lastLine?: number }[] {
  const r = spawnSync('java', ['-jar', vnu, '--format', 'json', '--also-check-svg', file], { encoding: 'utf8' });
  expect(r.error, 'java is not installed: apt-get install default-jre-headless').toBeUndefined();
  return JSON.parse(r.stderr).messages;
}

it('the report of a log with months, outcomes and lost demand is valid HTML to the Nu checker', async () => {
  const { log, html } = await reportLog(tempDir());
  expect((await inProcess((io) => runReport({ log, html }, io))).code).toBe(0);
  expect(check(html)).toEqual([]);
});

it('so is the report of a log with hostile names and nothing decided', async () => {
  const dir = tempDir();
  const { check: made, log } = loggedCompany(dir, 'hostile');
  await made(500, { customer: '</table><script>alert(1)</script>', rep: '"><img src=x>' });
  const html = join(dir, 'hostile.html');
  expect((await inProcess((io) => runReport({ log, html }, io))).code).toBe(0);
  expect(check(html)).toEqual([]);
});
