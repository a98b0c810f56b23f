// Reads a capabilities file: YAML with positions, the zod schema, then the
// cross-checks. Every problem comes back located at its YAML node; nothing throws.

import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from '../core/closest.js';
import { catalogueOf } from '../core/model.js';
import { type Clock, instantIn, localTime, zoneProblem } from '../core/time/clock.js';
import { yearOf } from '../core/time/days.js';
import { capabilitiesSha, sha256 } from '../hash.js';
import { Capabilities } from './capabilitiesSchema.js';
import { crossCheck } from './crossChecks.js';
import { applyFeeds, FEED_KINDS, type FeedKind, type FeedText } from './feeds.js';
import { locate } from './positions.js';
import type { PathKey, PathProblem, Problem } from './problem.js';
import { expandCalendars } from './publicHolidays.js';
import { feedPath, type LoadResult, MAX_FEED_BYTES, readCapabilitiesText, readText } from './read.js';

/** YAML aliases expanded at most; beyond this it is an alias bomb, not a config. */
const MAX_ALIAS_COUNT = 1000;

/** A feed's text by the path the YAML gives it, or why it cannot be had. */
export type FeedReader = (kind: FeedKind, path: string) => { ok: true; text: string } | { ok: false; message: string };

/** Feeds on disk: relative to the capabilities file, or absolute. */
export const feedsBeside =
  (file: string): FeedReader =>
  (_kind, path) =>
    readText(feedPath(file, path), MAX_FEED_BYTES, 'supply feed');

export function readCapabilitiesFile(file: string, now: Clock | Date): LoadResult {
  const read = readCapabilitiesText(file);
  return read.ok ? parseCapabilities(read.text, file, now, feedsBeside(file)) : read;
}

/** `when`: the invocation's clock, read in the file's zone (UTC while the zone is invalid). */
export function parseCapabilities(text: string, file: string, when: Clock | Date, readFeed: FeedReader = feedsBeside(file)): LoadResult {
  const lines = new LineCounter();
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const before = text.slice(0, nul).split('\n');
    const at = { line: before.length, column: before.at(-1)!.length + 1 };
    return { ok: false, problems: [{ severity: 'error', path: [], ...at, message: 'contains a NUL byte: binary, not a YAML text file' }] };
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    // Nesting that overflows the stack is one problem, however many times the
    // parser unwound through it (how many depends on the caller's stack depth).
    const overflow = doc.errors.find((e) => firstLine(e.message) === 'nested too deeply');
    return {
      ok: false,
      problems: (overflow ? [overflow] : doc.errors).map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { severity: 'error', path: [], line: pos.line, column: pos.col, message: `YAML syntax: ${firstLine(e.message)}` };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return { ok: false, problems: [{ severity: 'error', path: [], line: 1, column: 1, message: `YAML: ${firstLine((e as Error).message)}` }] };
  }
  const place = (p: PathProblem): Problem => ({
    severity: p.severity,
    path: p.path,
    message: p.message,
    ...locate(doc, lines, p.path, p.atKey),
  });
  if (data === null || data === undefined) {
    return {
      ok: false,
      problems: [place({ severity: 'error', path: [], message: 'the file is empty: expected a capabilities mapping (version, company, timezone, …)' })],
    };
  }
  const parsed = Capabilities.safeParse(data);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap((i) => schemaProblems(i, data)).map(place) };

  const feeds: FeedText[] = [];
  const unread: PathProblem[] = [];
  const unreadKinds: FeedKind[] = [];
  for (const kind of FEED_KINDS) {
    const path = parsed.data.supply?.[kind];
    if (path === undefined) continue;
    const read = readFeed(kind, path);
    if (read.ok) feeds.push({ kind, path, text: read.text });
    else {
      unreadKinds.push(kind);
      unread.push({ severity: 'error', path: ['supply', kind], message: `feed ${path}: ${read.message}` });
    }
  }
  const zoneOk = zoneProblem(parsed.data.timezone) === null;
  const now = instantIn(when, zoneOk ? parsed.data.timezone : 'UTC');
  const today = zoneOk ? localTime(now, parsed.data.timezone).day : null;
  const expanded = expandCalendars(parsed.data, today === null ? undefined : yearOf(today));
  const fed = applyFeeds(parsed.data, feeds, today, unreadKinds);
  const found = [...[...crossCheck(parsed.data, now, fed.caps), ...expanded.problems, ...unread].map(place), ...fed.problems];
  const errors = found.filter((p) => p.severity === 'error');
  if (errors.length > 0) return { ok: false, problems: found };
  const hashed = feeds.map((f) => ({ kind: f.kind, path: f.path, sha256: sha256(f.text), text: () => f.text }));
  return {
    ok: true,
    value: {
      file,
      text,
      sha256: capabilitiesSha(sha256(text), hashed),
      feeds: hashed,
      caps: { ...fed.caps, calendar: expanded.caps.calendar, locations: expanded.caps.locations, expanded: expanded.caps.expanded },
      catalogue: catalogueOf(fed.caps.products),
      publicHolidays: expanded.holidays,
      warnings: found,
    },
  };
}

function schemaProblems(issue: z.core.$ZodIssue, data: unknown): PathProblem[] {
  const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const allowed = knownKeys(path);
    return issue.keys.map((key) => ({
      severity: 'error',
      path: [...path, key],
      atKey: true,
      message: `unknown key "${key}"${didYouMean(key, allowed)}`,
    }));
  }
  if (path.length === 0 && issue.code === 'invalid_type') {
    return [{ severity: 'error', path, message: 'the file must be a mapping of capabilities (version, company, timezone, …)' }];
  }
  const value = path.length > 0 ? valueAt(data, path) : data;
  const message = plainMessage(issue, value);
  return [{ severity: 'error', path, message: value === undefined && path.length > 0 ? `is required (${message})` : message }];
}

const ARTICLE: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

/** zod's own wording ("Invalid input: expected string, received null") in the file's terms; the schema's own messages as they are. */
function plainMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code !== 'invalid_type' || !/^Invalid input/.test(issue.message)) return issue.message;
  const expected = ARTICLE[issue.expected] ?? issue.expected;
  if (value === null) return `is empty: give ${expected} or remove the key (a key with no value is null in YAML)`;
  const got = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : (ARTICLE[typeof value] ?? typeof value);
  return `must be ${expected}, not ${got}`;
}

/** The keys the schema allows at a path, for suggestions. */
function knownKeys(path: PathKey[]): string[] {
  let schema: unknown = Capabilities;
  for (const step of path) {
    schema = unwrap(schema);
    const def = (schema as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown; valueType?: unknown; options?: unknown[] } }).def;
    if (!def) return [];
    if (def.type === 'object') schema = def.shape?.[String(step)];
    else if (def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else return [];
  }
  const def = (unwrap(schema) as { def?: { type?: string; shape?: Record<string, unknown>; options?: unknown[] } } | undefined)?.def;
  if (def?.type === 'object') return Object.keys(def.shape ?? {});
  if (def?.type === 'union') return def.options!.flatMap((o) => Object.keys((unwrap(o) as { def?: { shape?: object } }).def?.shape ?? {}));
  return [];
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { type?: string; innerType?: unknown } } | undefined;
  while (s?.def && (s.def.type === 'default' || s.def.type === 'optional')) s = s.def.innerType as typeof s;
  return s;
}

function valueAt(data: unknown, path: PathKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PathKey, unknown>)[k];
  }
  return v;
}

const firstLine = (message: string): string =>
  /Maximum call stack/.test(message) ? 'nested too deeply' : message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
