// A log with a few months of outcomes and some lost demand, for the report's tests.
import { join } from 'node:path';
import { runOutcome } from '../../src/commands/outcome/outcome.js';
import { inProcess } from './io.js';
import { loggedCompany } from './logged.js';

export async function reportLog(dir: string) {
  const company = loggedCompany(dir, 'report');
  const { check, commit, log } = company;
  const kept = await check(5, { by: '2026-11-27' });
  const late = await check(6, { by: '2026-11-27' });
  const december = await check(7, { now: '2026-12-01T10:00', by: '2026-12-11' });
  await check(500); // lost: infeasible, never committed
  await check(50, { by: '2026-11-24' }); // at risk
  for (const c of [kept, late]) await commit(c.id);
  await commit(december.id, { now: '2026-12-01T10:00' });
  const outcome = (id: number, on: string, met: boolean) =>
    inProcess((io) => runOutcome(String(id), { log, now: '2026-12-20T10:00', met, missed: !met, on }, io));
  await outcome(kept.id, '2026-11-26', true);
  await outcome(late.id, '2026-12-02', false);
  await outcome(december.id, '2026-12-10', true);
  return { ...company, html: join(dir, 'report.html') };
}
