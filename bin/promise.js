#!/usr/bin/env node
// Starts the CLI: dist/cli.cjs, or dist/check.cjs for a check, each one CommonJS bundle (scripts/build.mjs), compiled
// through node:vm with a V8 code cache, since Node 20 has no
// module.enableCompileCache. A run then neither parses nor compiles what it runs:
// V8 takes the bytecode the first run of the same kind left in the cache folder
// (the capabilities index's), keyed by the bundle's build and hash and V8's version.
// This file is CommonJS (bin/package.json): an ES module entry would start the ESM
// loader, milliseconds a check does not need.
//
// The cache is only ever an optimisation. V8 does not checksum a code cache (a
// flipped bit crashes the process), so the file carries its own SHA-256; a file
// that fails it, or that V8 rejects, is ignored and rewritten at exit, and no
// failure to read or write the cache is ever reported.
'use strict';
const { fstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const args = process.argv.slice(2);

// `promise --help` into a pipe or a file (not a terminal) is the text the build printed (dist/help.txt): no bundle, no
// commander, not even a stream. At a terminal the CLI renders it, to the terminal's width and colours
// (commander colours help only at a terminal, unless FORCE_COLOR or CLICOLOR_FORCE say otherwise).
const plainHelp = args.length === 1 && (args[0] === '--help' || args[0] === '-h') && process.env.FORCE_COLOR === undefined && process.env.CLICOLOR_FORCE === undefined;
if (plainHelp && helpFromBuild()) return;

const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');
// A check runs from its own bundle (dist/check.cjs, the check command alone; scripts/build.mjs).
const bundle = args[0] === 'check' ? 'check' : 'cli';
const file = join(dist, `${bundle}.cjs`);
// Read whole, then decoded: readFileSync(file, 'utf8') took ~2 ms longer for these 320 KB on Node 20.
const source = readFileSync(file).toString();
const build = /^\/\* promise build (\w+) bundle (\w+) \*\//.exec(source);

// One cache per kind of run: V8 caches the functions a run compiled, and a `--help`
// compiles little of what a check needs; a logged check also compiles the log's writes.
const kind = args[0] === 'check' ? (args.includes('--no-log') ? 'check-nolog' : 'check') : !args[0] || args[0].startsWith('-') ? 'main' : 'command';
const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'promise');
// Named by bundle first: a run removes the caches of its bundle's older builds, not the other bundle's.
const prefix = build ? `code-${bundle}-${build[1]}-${build[2]}-` : undefined;
const cacheFile = prefix && join(dir, `${prefix}${process.versions.v8}-${kind}.v8`);

let cachedData;
// V8 checksums the code cache (see above). Node waits for V8's pending tasks and background jobs
// before it exits, so two kinds of work outlived a check's answer: the scavenge a check's garbage
// scheduled as a task (~3 ms; a scavenge still runs whenever the young generation is full), and
// TurboFan compiling functions that the 40 ms of a check had made warm, on the second core that the
// check's own SQLite work needs (~5-10 ms with the machine busy). A tenfold interrupt budget (V8
// 11.3's is 67,584) leaves a single check in Ignition and Sparkplug; a batch or a validation of a
// large file still optimises its hot functions, a few ms later (a hot loop measured 5% slower).
// Only a check's run: a server (`serve`, `mcp`) wants its hot code optimised early, and its memory
// measured from its first requests. Flags are part of the cache's key in V8: each kind of run sets
// the same ones every time, before compiling.
require('node:v8').setFlagsFromString(`--verify-snapshot-checksum --no-minor-gc-task${kind.startsWith('check') ? ' --interrupt-budget=675840' : ''}`);
try {
  cachedData = readFileSync(cacheFile);
} catch {}
// The file is a function expression, CommonJS's wrapper with two more parameters (scripts/build.mjs).
const script = new Script(source, { filename: file, cachedData });
if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => saveCache(script));

const cli = { exports: {} };
const require_ = createRequire(file);
// The bundle's import() of the other builds: vm cannot import() by itself. The parser and
// the libraries are CommonJS, the server ES modules; a CommonJS module comes as import() gives it.
const load = (spec) =>
  spec.endsWith('.cjs') ? Promise.resolve().then(() => asNamespace(require_(spec))) : import(pathToFileURL(join(dist, spec)).href);
const asNamespace = (exports) => Object.assign(Object.create(null), exports, { default: exports });
script.runInThisContext()(cli.exports, require_, cli, file, dist, pathToFileURL(file).href, load);
cli.exports.main();

/** Writes the cache whole or not at all (concurrent runs rename over each other), and drops other bundles' caches. */
function saveCache(script) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, script.createCachedData()); // after mkdir: a folder that cannot be made costs no serialising
    renameSync(tmp, cacheFile);
    for (const f of readdirSync(dir)) if (f.startsWith(`code-${bundle}-`) && f.endsWith('.v8') && !f.startsWith(prefix)) unlinkSync(join(dir, f));
  } catch {
    try {
      unlinkSync(tmp); // a full disk leaves no half file behind
    } catch {}
  }
}

/** Writes dist/help.txt unless stdout is a terminal; false if the CLI must answer. */
function helpFromBuild() {
  let at = 0;
  try {
    // A terminal is a character device; pipes are FIFOs or, from Node's spawn, sockets.
    if (fstatSync(1).isCharacterDevice()) return false;
    const text = readFileSync(join(dist, 'help.txt'));
    while (at < text.length) at += writeSync(1, text, at);
    return true;
  } catch {
    // A reader that went away ends the output quietly, as in the CLI; with nothing written yet, the CLI answers.
    return at > 0;
  }
}
