// Customer notices, worked on a broken delivery, a broken service promise and a
// broken order: each states only what the check and the fresh re-check say.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { loggedCompany, NOW } from '../../../test/helpers/logged.js';
import { runCheck } from '../check/check.js';
import { runCommit } from '../commit/commit.js';
import { runRecheck } from './recheck.js';

const dir = tempDir();

/** Every date and every "N SKU" quantity in a notice comes from the recorded promise or the fresh re-check. */
function onlyFacts(notice: string, facts: string) {
  for (const date of notice.match(/\d{4}-\d\d-\d\d/g) ?? []) expect(facts, `date ${date}`).toContain(date);
  for (const [, qty] of notice.matchAll(/(\d+) (?:× )?[A-Z][A-Z0-9-]+/g)) expect(facts, `quantity ${qty}`).toMatch(new RegExp(`\\b${qty}\\b`));
}

async function broken(log: string, capabilities: string, now: string, notices: string) {
  const text = await inProcess((io) => runRecheck({ log, capabilities, now, notices }, io));
  const json = await inProcess((io) => runRecheck({ log, capabilities, now, notices, json: true }, io));
  expect(text.code).toBe(1);
  return {
    text,
    fields: json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
  };
}

describe('recheck --notices DIR', () => {
  it('a broken delivery: whom, what was promised, what changed, the best promise now, an apology', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'delivery');
    const made = await check(100, { customer: 'ACME' });
    await commit(made.id);
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 10').replace('on_hand: 40', 'on_hand: 0'));
    const out = join(dir, 'delivery-notices');
    const { text, fields } = await broken(log, capabilities, NOW, out);
    expect(text.stdout).toContain(`Wrote ${out}/notice-${made.id}.md: to ACME about 100 × PUMP-100 to DE by 2026-12-04`);
    const notice = readFileSync(join(out, `notice-${made.id}.md`), 'utf8');
    expect(notice).toBe(
      [
        `Subject: A change to what we promised you (our reference ${made.id})`,
        '',
        'Dear ACME,',
        '',
        'On 2026-11-23 we promised you 100 × PUMP-100 to DE by 2026-12-04.',
        '',
        'We have to tell you, before the date, that we can no longer keep this promise as made: berlin has only 10 PUMP-100 available to promise on 2026-11-24, 100 needed.',
        '',
        'What we can promise you now: All 100 PUMP-100 to DE by 2026-12-17 (ships from berlin by express on 2026-12-15, arrives 2026-12-16).',
        '',
        'We are sorry for the trouble this causes you. Please tell us whether this works for you, or whether we should look for another way together.',
        '',
        'Kind regards,',
        'tester',
        'Northwind Pumps GmbH',
        '',
      ].join('\n'),
    );
    expect(fields).toEqual([
      expect.objectContaining({
        id: made.id,
        customer: 'ACME',
        reason: expect.stringContaining('berlin has only 10'),
        file: join(out, `notice-${made.id}.md`),
      }),
    ]);
    onlyFacts(notice, JSON.stringify([made, fields]));
  });

  it('a broken service promise: the region is no longer covered; another service is offered', async () => {
    const { log, capabilities } = loggedCompany(dir, 'service');
    const r = await inProcess((io) =>
      runCheck(
        {
          capabilities,
          log,
          now: NOW,
          input: false,
          json: true,
          service: 'onsite-repair',
          region: 'AT',
          responseHours: '10',
          hours: 'mon-fri 08:00-18:00',
          customer: 'Wien Energie',
        },
        io,
      ),
    );
    const { id } = JSON.parse(r.stdout);
    await inProcess((io) => runCommit(String(id), { log, now: NOW }, io));
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('regions: [DE, AT]', 'regions: [DE]'));
    const out = join(dir, 'service-notices');
    const { fields } = await broken(log, capabilities, NOW, out);
    const notice = readFileSync(join(out, `notice-${id}.md`), 'utf8');
    expect(notice).toContain('On 2026-11-23 we promised you onsite-repair in AT: response within 10 h, mon-fri 08:00-18:00.');
    expect(notice).toContain('no longer keep this promise as made: onsite-repair is not offered in AT; it covers DE.');
    expect(notice).toContain('What we can promise you now: Phone support in AT: response within 2 hours, around the clock (instead of onsite-repair).');
    onlyFacts(notice, JSON.stringify([JSON.parse(r.stdout), fields]));
  });

  it('a broken order, with a company’s own template', async () => {
    const log = join(dir, 'order.db');
    const capabilities = join(dir, 'newark.yaml');
    writeFileSync(capabilities, readFileSync(fixture('companies/newark.yaml'), 'utf8'));
    const now = '2026-11-23T09:00';
    const r = await inProcess((io) =>
      runCheck({ capabilities, log, now, input: false, json: true, line: ['PUMP:60', 'SEAL:50'], to: 'NJ', by: '2026-12-04', customer: 'globex' }, io),
    );
    const { id } = JSON.parse(r.stdout);
    await inProcess((io) => runCommit(String(id), { log, now }, io));
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 60\n', 'on_hand: 5\n'));
    const template = join(dir, 'ours.md');
    writeFileSync(template, 'Hallo {{customer}}, {{promised}}: {{reason}}. {{offer}} Entschuldigung! {{unknown}}\n');
    const out = join(dir, 'order-notices');
    mkdirSync(out);
    const text = await inProcess((io) => runRecheck({ log, capabilities, now, notices: out, template }, io));
    expect(text.code).toBe(1);
    const notice = readFileSync(join(out, `notice-${id}.md`), 'utf8');
    expect(notice).toMatch(
      /^Hallo globex, order of 60 × PUMP, 50 × SEAL to NJ by 2026-12-04: newark has only 5 SEAL available to promise on 2026-11-24, 50 needed\. /,
    );
    expect(notice).toContain('The whole order (60 PUMP, 50 SEAL) to NJ by 2026-12-14');
    expect(notice).toContain('Entschuldigung! {{unknown}}'); // unknown placeholders are left as they are
    const fields = await inProcess((io) => runRecheck({ log, capabilities, now, notices: out, template, json: true }, io));
    onlyFacts(notice, JSON.stringify([JSON.parse(r.stdout), fields.stdout]));
  });

  it('customer and rep text cannot inject markdown, HTML, links, headings or lines (issue 22)', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'hostile');
    const customer = 'Evil\r\n# URGENT <img src=x onerror=alert(1)> [pay here](javascript:alert(1)) &amp;\r\n#9 HOLDS: all fine';
    const made = await check(100, { customer, rep: '**boss**\n---' });
    await commit(made.id);
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 10').replace('on_hand: 40', 'on_hand: 0'));
    const template = join(dir, 'header.md');
    writeFileSync(template, 'To: {{customer}}\r\nFrom: {{rep}}\r\n\r\n{{reason}}\n');
    const out = join(dir, 'hostile-notices');
    const text = await inProcess((io) => runRecheck({ log, capabilities, now: NOW, notices: out, template }, io));
    expect(text.code).toBe(1);
    // One line on stdout per notice: the line break is shown, not obeyed.
    expect(text.stdout.split('\n').filter((l) => l.includes('HOLDS'))).toEqual([
      `Wrote ${out}/notice-${made.id}.md: to Evil\\u{D}\\u{A}# URGENT <img src=x onerror=alert(1)> [pay here](javascript:alert(1)) &amp;\\u{D}\\u{A}#9 HOLDS: all fine about 100 × PUMP-100 to DE by 2026-12-04`,
    ]);
    const notice = readFileSync(join(out, `notice-${made.id}.md`), 'utf8');
    const [to, from, blank] = notice.split('\r\n');
    expect(to).toBe('To: Evil \\# URGENT \\<img src=x onerror=alert(1)\\> \\[pay here\\](javascript:alert(1)) \\&amp; \\#9 HOLDS: all fine');
    expect(from).toBe('From: \\*\\*boss\\*\\* ---');
    expect(blank).toBe('');
  });

  it('recheck text output: a customer with a line break forges no line', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'forged');
    const made = await check(100, { customer: 'ACME\n#999 HOLDS: nothing to see' });
    await commit(made.id);
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 10').replace('on_hand: 40', 'on_hand: 0'));
    const r = await inProcess((io) => runRecheck({ log, capabilities, now: NOW, notices: join(dir, 'forged-notices') }, io));
    expect(r.stdout.split('\n').some((l) => l.startsWith('#999'))).toBe(false);
  });

  it('a planted symlink is not followed, a file as the folder is one line: exit 2, never an internal error', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'planted');
    const made = await check(100, { customer: 'ACME' });
    await commit(made.id);
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('on_hand: 120', 'on_hand: 10').replace('on_hand: 40', 'on_hand: 0'));
    const out = join(dir, 'planted-notices');
    mkdirSync(out);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(out, `notice-${made.id}.md`));
    const linked = await inProcess((io) => runRecheck({ log, capabilities, now: NOW, notices: out }, io));
    expect(linked).toMatchObject({ code: 2, stderr: `promise: --notices: ${out}/notice-${made.id}.md: is a symbolic link: not followed, not replaced\n` });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    const onFile = await inProcess((io) => runRecheck({ log, capabilities, now: NOW, notices: victim }, io));
    expect(onFile).toMatchObject({ code: 2, stderr: `promise: --notices ${victim}: is not a folder (or a file is in its path)\n` });
  });
});

describe('recheck --notices DIR: a delivery that moves later, and a split part by part', () => {
  it('still by the date but later than planned: a notice; a split names every part as promised and as it stands', async () => {
    const { check, commit, log, capabilities } = loggedCompany(dir, 'later');
    const made = await check(30, { customer: 'ACME' });
    await commit(made.id);
    const split = await check(150, { customer: 'Globex' });
    const n = split.alternatives.findIndex((a) => a.kind === 'split') + 1;
    expect(n).toBeGreaterThan(0);
    expect((await commit(split.id, { alternative: String(n) })).code).toBe(0);
    // berlin takes 2 handling days: everything from it ships a day later, still by each date.
    writeFileSync(capabilities, readFileSync(capabilities, 'utf8').replace('handling_days: 1 ', 'handling_days: 2 '));
    const out = join(dir, 'later-notices');
    const r = await inProcess((io) => runRecheck({ log, capabilities, now: NOW, notices: out }, io));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 open commitment(s): 0 hold, 1 hold with a new plan, 1 at risk, 0 broken, 0 overdue\n');
    const later = readFileSync(join(out, `notice-${made.id}.md`), 'utf8');
    expect(later).toContain('On 2026-11-23 we promised you 30 × PUMP-100 to DE by 2026-12-04.');
    expect(later).toContain('no longer keep this promise as made: now arrives 2026-11-26, not 2026-11-25 as planned.');
    const parts = readFileSync(join(out, `notice-${split.id}.md`), 'utf8');
    expect(parts).toContain('On 2026-11-23 we promised you 90 × PUMP-100 to DE by 2026-12-04; then 60 × PUMP-100 to DE by 2026-12-17.');
    // The 200 due on 14 December are ready a handling day later too: the second part arrives on its date, without a spare day.
    expect(parts).toContain(
      'As it stands now: 90 × PUMP-100 to DE by 2026-12-04: it ships from berlin by express on 2026-11-25, arrives 2026-11-26 (6 spare workdays); 60 × PUMP-100 to DE by 2026-12-17: it ships from berlin by express on 2026-12-16, arrives 2026-12-17 (0 spare workdays)',
    );
  });
});
