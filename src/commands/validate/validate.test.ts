// promise validate, run in process on the fixtures: one file per kind of mistake.
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT, SPEC_EXAMPLE, tempDir } from '../../../test/helpers/cli.js';
import { inProcess } from '../../../test/helpers/io.js';
import { runValidate, type ValidateOptions } from './validate.js';

const NOW = ['--now', '2026-11-23T10:00'];

/** `promise validate ARGS` in process: a file, then flags. */
function validate(args: string[], { env = {} }: { env?: NodeJS.ProcessEnv } = {}) {
  const rest = [...args];
  const file = rest[0] !== undefined && !rest[0].startsWith('--') ? rest.shift() : undefined;
  const opts: ValidateOptions = { format: 'text' };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!.slice(2);
    if (flag === 'strict') opts.strict = true;
    else (opts as unknown as Record<string, string>)[flag] = rest[++i]!;
  }
  const cwd = process.cwd();
  process.chdir(ROOT);
  return inProcess((io) => runValidate(file, opts, io), env).finally(() => process.chdir(cwd));
}

// One file per kind of mistake, each with the exact place and message.
const INVALID: [file: string, at: string, message: string][] = [
  ['bad-service-hours', '22:12', 'services[0].hours: must be 24x7 or { days: [...], from: "HH:MM", to: "HH:MM" }'],
  ['duplicate-customer-id', '27:9', 'customers[1].id: duplicate customer id "globex"'],
  ['duplicate-location-id', '15:9', 'locations[1].id: duplicate location id "main"'],
  ['duplicate-service-id', '24:9', 'services[1].id: duplicate service id "support"'],
  ['duplicate-sku', '19:10', 'products[1].sku: duplicate sku "WIDGET"'],
  ['duplicate-yaml-key', '9:3', 'YAML syntax: Map keys must be unique'],
  ['empty', '1:1', 'the file is empty: expected a capabilities mapping'],
  ['fractional-quantity', '18:24', 'products[0].stock.main.on_hand: must be a whole number'],
  ['handling-beyond-horizon', '12:20', 'locations[0].handling_days: must be at most 365 workdays (plans look at most 5 years ahead: the planning horizon)'],
  ['holiday-outside-years', '7:26', "calendar.holidays[1]: holiday 2072-12-25 is outside the calendar's years (2026)"],
  ['impossible-cutoff', '11:13', 'locations[0].cutoff: must be a time between "00:00" and "23:59"'],
  ['impossible-date', '6:26', 'calendar.holidays[1]: must be a real calendar date YYYY-MM-DD'],
  ['invisible-character-in-id', '16:10', 'products[0].sku: must not contain control or invisible characters (U+200B at character 7)'],
  ['lane-without-regions', '14:15', 'locations[0].lanes[0].to: a lane needs at least one region'],
  ['malformed-date', '18:47', 'products[0].stock.main.incoming[0].date: must be a real calendar date YYYY-MM-DD'],
  ['missing-required-key', '1:1', 'company: is required'],
  ['negative-quantity', '18:24', 'products[0].stock.main.on_hand: must not be negative'],
  ['no-workday-in-horizon', '5:13', 'calendar.workdays: no workday within the 5-year planning horizon from 2026-11-23: the holidays cover every workday'],
  ['public-holidays-without-years', '6:20', 'calendar.public_holidays: needs calendar.years: the years whose public holidays apply (e.g. years: [2026, 2027])'],
  ['not-a-mapping', '1:1', 'the file must be a mapping of capabilities'],
  ['service-hours-inverted', '22:46', 'services[0].hours.to: closing time 08:00 must be after opening time 18:00'],
  ['unknown-customer-field', '27:5', 'customers[0].allow_partials: unknown key "allow_partials" (did you mean allow_partial?)'],
  ['unknown-key', '18:15', 'products[0].stock.main.on_hnad: unknown key "on_hnad" (did you mean on_hand?)'],
  ['unknown-mto-location', '19:32', 'products[0].make_to_order.location: make_to_order at unknown location "factory" (known: main)'],
  [
    'unknown-public-holiday-code',
    '7:21',
    'calendar.public_holidays[0]: unknown country or subdivision "DE-BX" (did you mean DE-BB or DE-BE or DE-BW or DE-BY?)',
  ],
  ['unknown-stock-location', '18:7', 'products[0].stock.mian: stock at unknown location "mian" (known: main)'],
  ['substitute-not-a-product', '17:19', 'products[0].substitutes[0]: substitute "WIDGT-PRO" is not a product'],
  ['substitute-of-itself', '17:19', 'products[0].substitutes[0]: "WIDGET" cannot substitute itself'],
  ['timezone-spelling', '21:39', 'services[0].regions[1].timezone: time zone "europe/vienna" must be spelled as in the tz database: "Europe/Vienna"'],
  ['unknown-timezone', '3:11', 'timezone: unknown time zone "Europe/Berln"'],
  ['unknown-weekday', '5:14', 'calendar.workdays[0]: must be one of mon, tue, wed, thu, fri, sat, sun'],
  ['wrong-type', '14:53', 'locations[0].lanes[0].transit_days: must be a number'],
  ['yaml-syntax', '6:3', 'YAML syntax: Flow sequence in block collection must be sufficiently indented'],
  ['zero-incoming-quantity', '18:64', 'products[0].stock.main.incoming[0].qty: must be at least 1'],
];

describe('promise validate', async () => {
  it('accepts the spec example, the shipped file and the minimal fixture', async () => {
    for (const file of [SPEC_EXAMPLE, 'capabilities.yaml', fixture('valid/minimal.yaml')]) {
      const r = await validate([file, ...NOW]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/: valid \(/);
    }
  });

  it('has a test row for every invalid fixture', async () => {
    const files = readdirSync(fixture('invalid')).map((f) => f.replace(/\.yaml$/, ''));
    expect(files.sort()).toEqual(INVALID.map(([f]) => f).sort());
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(INVALID)('%s: reports line:column and message, exit 2', async (name, at, message) => {
    const file = fixture(`invalid/${name}.yaml`);
    const r = await validate([file, ...NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:${at}: ${message}`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reports every problem, not just the first', async () => {
    const r = await validate([fixture('invalid/unknown-key.yaml'), ...NOW]);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('--format json gives valid, problems with path, line, column, message', async () => {
    const r = await validate([fixture('invalid/negative-quantity.yaml'), '--format', 'json', ...NOW]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      valid: false,
      problems: [
        {
          file: fixture('invalid/negative-quantity.yaml'),
          path: 'products[0].stock.main.on_hand',
          line: 18,
          column: 24,
          message: 'must not be negative',
          severity: 'error',
        },
      ],
    });
    const ok = await validate([fixture('valid/minimal.yaml'), '--format', 'json', ...NOW]);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, problems: [] });
  });

  it('--format github prints workflow annotations', async () => {
    const file = fixture('invalid/impossible-cutoff.yaml');
    const r = await validate([file, '--format', 'github', ...NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`::error file=${file},line=11,col=13::locations[0].cutoff: must be a time between "00:00" and "23:59"\n`);
  });

  it('github: file= escaped by the workflow-command rules, no line=0 for an unreadable file, --strict warnings as errors (issue 22)', async () => {
    const dir = tempDir();
    const weird = join(dir, 'we,ird:na%me.yaml');
    copyFileSync(fixture('invalid/impossible-cutoff.yaml'), weird);
    const r = await validate([weird, '--format', 'github', ...NOW]);
    expect(r.stdout).toBe(`::error file=${dir}/we%2Cird%3Ana%25me.yaml,line=11,col=13::locations[0].cutoff: must be a time between "00:00" and "23:59"\n`);
    expect((await validate(['no/such.yaml', '--format', 'github'])).stdout).toBe('::error file=no/such.yaml::no such file\n');
    const warned = fixture('warnings/repeated-workday.yaml');
    expect((await validate([warned, '--format', 'github', ...NOW])).stdout).toMatch(/^::warning file=/);
    const strict = await validate([warned, '--format', 'github', '--strict', ...NOW]);
    expect(strict).toMatchObject({ code: 2, stdout: `::error file=${warned},line=5,col=39::calendar.workdays[5]: workday "mon" is listed twice\n` });
    const text = await validate([warned, '--strict', ...NOW]);
    expect(text).toMatchObject({ code: 2, stderr: `${warned}:5:39: calendar.workdays[5]: workday "mon" is listed twice\n` });
    expect(JSON.parse((await validate([warned, '--format', 'json', '--strict', ...NOW])).stdout).problems[0].severity).toBe('error');
  });

  it('a key with no value (null) gets a plain message, not zod\'s "expected string, received null" (issue 22)', async () => {
    const file = join(tempDir(), 'nulls.yaml');
    writeFileSync(
      file,
      'version: 1\ncompany: X\ntimezone: UTC\ncalendar: { workdays: [mon] }\nlocations: [{ id: a, name: , cutoff: "12:00", lanes: [] }]\npolicy: { response_margin_hours: [1] }\n',
    );
    const r = await validate([file, ...NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/Invalid input|received/);
    expect(r.stderr).toBe(
      [
        `${file}:6:34: policy.response_margin_hours: must be a number, not a list`,
        `${file}:5:28: locations[0].name: is empty: give a text or remove the key (a key with no value is null in YAML)`,
        '',
      ].join('\n'),
    );
  });

  it('an incoming delivery in the past is a warning; --strict makes it fail', async () => {
    const file = fixture('warnings/incoming-in-past.yaml');
    const lenient = await validate([file, ...NOW]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain(`${file}:18:47: warning: products[0].stock.main.incoming[0].date: incoming delivery dated 2026-01-05 is in the past`);
    expect((await validate([file, '--strict', ...NOW])).code).toBe(2);
    // The same file is fine when "now" is before the delivery.
    expect((await validate([file, '--strict', '--now', '2026-01-02T09:00'], {})).code).toBe(0);
  });

  it('calendar.years that do not reach twelve months ahead are a warning', async () => {
    const file = fixture('warnings/years-not-covering-next-twelve-months.yaml');
    const r = await validate([file, ...NOW]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${file}:6:10: warning: calendar.years: does not cover the next twelve months (to 2027-11-23): add 2027 and its holidays\n`);
  });

  it.each([
    [
      'protected-above-on-hand',
      '18:46',
      'products[0].stock.main.protected.qty: protects 25 of 10 on hand: the rest of the protection waits for incoming supply',
    ],
    [
      'as-of-in-future',
      '18:35',
      "products[0].stock.main.as_of: as_of 2062-11-23T10:00 is later than now: the stock-age rule treats these figures' age as unknown (at_risk)",
    ],
    [
      'protected-for-unknown-segment',
      '18:55',
      'products[0].stock.main.protected.for[0]: no customer has segment "kye": these units can be promised to nobody (did you mean key?)',
    ],
    ['hand-typed-holidays-ending', '6:13', "calendar.holidays: the hand-typed holidays end with 2026: add 2027's, or checks reaching 2027 are at_risk"],
  ])('%s is a warning', async (name, at, message) => {
    const file = fixture(`warnings/${name}.yaml`);
    const r = await validate([file, ...NOW]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${file}:${at}: warning: ${message}\n`);
    expect((await validate([file, '--strict', ...NOW])).code).toBe(2);
  });

  it('a workday listed twice is a warning', async () => {
    const file = fixture('warnings/repeated-workday.yaml');
    const r = await validate([file, ...NOW]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${file}:5:39: warning: calendar.workdays[5]: workday "mon" is listed twice\n`);
  });

  it('unreadable inputs: missing file, directory, bad --format', async () => {
    const missing = await validate(['no/such.yaml']);
    expect(missing).toMatchObject({ code: 2, stderr: 'no/such.yaml: no such file\n' });
    const dir = await validate(['fixtures']);
    expect(dir).toMatchObject({ code: 2, stderr: 'fixtures: is a directory, not a capabilities file\n' });
    const fmt = await validate(['capabilities.yaml', '--format', 'xml']);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toBe('promise: --format must be one of text, json, github, not "xml"\n');
  });

  it('defaults to $PROMISE_CAPABILITIES', async () => {
    const r = await validate([], { env: { PROMISE_CAPABILITIES: fixture('invalid/empty.yaml') } });
    expect(r.code).toBe(2);
  });
});
