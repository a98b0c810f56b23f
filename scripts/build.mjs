// Bundles the CLI into dist/ so start-up loads a few files instead of hundreds of
// modules. Heavy libraries reached through dynamic import() (prompts, tables,
// progress bars, natural-language dates) land in their own chunks and load only
// on the paths that need them. better-sqlite3 stays external: it is a native addon.
//
// Two builds: the capabilities parser (YAML and full zod, only needed when a file
// is validated, i.e. not on a cached check) is bundled on its own into
// dist/parser/. esbuild splits code by module, not by statement, so in one build
// zod's core modules, shared by full zod and the zod/mini that checks promises,
// would come whole (410 KB, ~20 ms to compile) into a chunk every check loads.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

// A hash of the sources: caches keyed by it never outlive the code that wrote them.
const sources = readdirSync('src', { recursive: true })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .sort();
const sourceHash = createHash('sha256');
for (const f of sources) sourceHash.update(f).update(readFileSync(`src/${f}`));
const BUILD_ID = sourceHash.digest('hex').slice(0, 16);

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  external: ['better-sqlite3'],
  // Bundled CommonJS packages call require() for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  define: { 'globalThis.PROMISE_BUILD_ID': JSON.stringify(BUILD_ID) },
  logLevel: 'warning',
};

/** The parser's entry points, by the name the CLI's chunks import them as. */
const PARSER = { load: 'src/capabilities/load.ts', capabilitiesSchema: 'src/capabilities/capabilitiesSchema.ts' };

/**
 * `promise serve` and `promise mcp` (fastify, the MCP SDK, full zod's JSON Schema
 * output) are a third build in dist/server/: in the CLI's build their use of
 * zod's core would grow the chunk every check loads (see above) by ~100 KB.
 */
const SERVER = { serve: 'src/commands/serve/serve.ts', mcp: 'src/commands/mcp/mcp.ts' };

/** Imports of another build's entry points go to that build's folder (`dir`, relative to the importing bundle), to `file` if one file has them all. */
const externalEntries = (entries, dir, file) => ({
  name: `external-${dir}`,
  setup(b) {
    const names = new Map(Object.entries(entries).map(([name, file]) => [resolve(file), name]));
    b.onResolve({ filter: new RegExp(`/(${Object.keys(entries).join('|')})\\.js$`) }, async ({ path, resolveDir, kind, pluginData }) => {
      if (pluginData === dir) return undefined; // the b.resolve below
      const resolved = await b.resolve(path, { resolveDir, kind, pluginData: dir });
      const name = names.get(resolved.path);
      return name ? { path: `${dir}/${file ?? `${name}.js`}`, external: true } : undefined;
    });
  },
});

/**
 * postgres.js 3.4.9 schedules small writes with setImmediate; when the server goes
 * away first, the callback writes to a null socket and throws outside any
 * promise, killing the process with a stack trace instead of our exit 4
 * (porsager/postgres#1154, #1208; fix proposed upstream in #1168/#1209). Until a
 * release has it, the bundle carries the same guard: settle the pending queries
 * with CONNECTION_CLOSED. The build fails if the code it patches has changed.
 */
const postgresNullSocketGuard = {
  name: 'postgres-null-socket-guard',
  setup(b) {
    b.onLoad({ filter: /postgres[\\/](cjs[\\/])?src[\\/]connection\.js$/ }, async ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const unguarded = '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
      if (!source.includes(unguarded)) throw new Error(`${path}: nextWrite changed; check whether postgres.js fixed #1154 and drop this patch`);
      const guarded =
        "  function nextWrite(fn) {\n    if (!socket) { nextWriteTimer !== null && clearImmediate(nextWriteTimer); chunk = nextWriteTimer = null; error(Errors.connection('CONNECTION_CLOSED', options)); return false }\n    const x = socket.write(chunk, fn)";
      return { contents: source.replace(unguarded, guarded), loader: 'js' };
    });
  },
};

/**
 * commander requires node:child_process at load (only executable subcommands,
 * which promise has none of, use it); child_process brings net, dgram and
 * streams, several ms of every start-up. Its require becomes a getter that loads
 * the module on first use. The build fails if that line has changed.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, async ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error(`${path}: its child_process require changed; revisit the lazy-child-process plugin`);
      const lazy = "const childProcess = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

/**
 * The CLI itself is ONE CommonJS file, dist/cli.cjs, that bin/promise.js compiles
 * through node:vm with a V8 code cache (see there). One file, not ESM chunks: each
 * chunk costs the ESM loader a resolution, a read and a link, and a code cache
 * needs a classic script. Code reached only through import() (prompts, tables,
 * chrono, the PostgreSQL client, every command's run function) is wrapped by
 * esbuild to initialise on first use, so it is read but neither compiled nor run
 * by a check; with the code cache, V8 does not even parse it. The parser and the
 * server stay ESM builds of their own, imported through `__load`, which
 * bin/promise.js hands in: a script compiled by vm cannot import() without an
 * experimental flag. `__load` has the length of `import`, so the source map stays exact.
 */
const CLI_CJS = 'dist/cli.cjs';
/**
 * `promise check` has a bundle of its own from the same sources (src/cli/checkMain.ts: the
 * check command, the core, the log, the capabilities' index), which bin/promise.js loads
 * when the first argument is `check`: a check reads, hashes, deserialises and runs the top
 * level of ~60% less code than with every command in the bundle.
 */
const CHECK_CJS = 'dist/check.cjs';
/**
 * V8 accepts a code cache for any source of the same length, so the key must
 * change with every byte of the bundle, not only with src/ (dependencies, this
 * script): a hash of the bundle, put in place of the placeholder (same length,
 * so the source map stays exact).
 */
const UNHASHED = '0'.repeat(16);
const EXTERNAL_IMPORT = /\bimport\("(\.\/(?:parser|server|lib)\/[\w-]+\.c?js)"\)/g;

/**
 * Libraries only some commands use, each a CommonJS bundle of its own in dist/lib/
 * that the CLI's bundle require()s on first use: inside dist/cli.cjs they would
 * make every run read 1.8 MB and V8's cache of it grow (date-holidays alone
 * brings 1.4 MB of moment-timezone and astronomy, for `init`).
 */
const LIBS = {
  'date-holidays': 'date-holidays',
  'chrono-node': 'chrono-node',
  yaml: 'yaml',
  postgres: 'postgres',
  'cli-table3': 'cli-table3',
  'cli-progress': 'cli-progress',
  'inquirer-prompts': '@inquirer/prompts',
};
const externalLibs = {
  name: 'external-libs',
  setup(b) {
    const names = new Map(Object.entries(LIBS).map(([name, pkg]) => [pkg, name]));
    b.onResolve({ filter: /^[@\w]/ }, ({ path }) => (names.has(path) ? { path: `./lib/${names.get(path)}.cjs`, external: true } : undefined));
  },
};

/**
 * better-sqlite3's JavaScript goes into the CLI's bundle (src/sqlite.ts require()s it
 * there), read with the rest instead of 15 files through Node's loader. Its `bindings`
 * dependency finds the addon by reading a stack trace and trying a dozen paths; here it
 * is the one path where npm builds it, in the better-sqlite3 Node resolves from dist/.
 */
const sqliteAddon = {
  name: 'sqlite-addon',
  setup(b) {
    b.onResolve({ filter: /^bindings$/ }, ({ importer }) => (/better-sqlite3/.test(importer) ? { path: 'bindings', namespace: 'sqlite-addon' } : undefined));
    b.onLoad({ filter: /^bindings$/, namespace: 'sqlite-addon' }, () => ({
      contents:
        "const { dirname, join } = require('node:path');\nmodule.exports = (name) => require(join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', name));",
      loader: 'js',
    }));
  },
};

/**
 * A built-in the bundle imports, loaded on first use instead of when the bundle starts:
 * the bundle sees `contents` (a stand-in that requires node:NAME when called), and the
 * stand-in's own require of it is the real one.
 */
const lazyBuiltin = (name, contents) => ({
  name: `lazy-${name}`,
  setup(b) {
    const namespace = `lazy-${name}`;
    b.onResolve({ filter: new RegExp(`^(node:)?${name}$`) }, (args) =>
      args.namespace === namespace ? { path: `node:${name}`, external: true } : { path: `node:${name}`, namespace },
    );
    b.onLoad({ filter: /.*/, namespace }, () => ({ contents, loader: 'js' }));
  },
});

/**
 * node:crypto (a dozen internal modules): a warm check that is not logged hashes nothing.
 * The stand-in has the names the bundle uses (a name it lacks fails the build, not a run).
 */
const LAZY_CRYPTO = ['createHash', 'createHmac', 'randomBytes', 'randomUUID', 'timingSafeEqual'];
const lazyCrypto = lazyBuiltin('crypto', LAZY_CRYPTO.map((name) => `export const ${name} = (...args) => require('node:crypto').${name}(...args);`).join('\n'));

/**
 * node:tls (~9 ms to load) only once a connection is encrypted: postgres.js requires it
 * at load and socket.ts imports it, yet a team log without TLS never calls it. The
 * stand-in's properties require the real module; __esModule is asked at import time
 * (interop) and answered without loading.
 */
const lazyTls = lazyBuiltin('tls', "module.exports = new Proxy({}, { get: (_, name) => (name === '__esModule' ? undefined : require('node:tls')[name]) });");

/**
 * src/version.ts reads package.json for its version alone; bundled whole, the file (1.7 KB of
 * scripts and dependencies) became an object literal that every run built at its top level.
 */
const PACKAGE_JSON = resolve('package.json');
const versionOnly = {
  name: 'version-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]package\.json$/ }, ({ path }) =>
      path === PACKAGE_JSON ? { contents: JSON.stringify({ version: JSON.parse(readFileSync(path, 'utf8')).version }), loader: 'json' } : undefined,
    );
  },
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const cjs = { ...common, format: 'cjs', splitting: false, banner: undefined, outExtension: { '.js': '.cjs' } };
// The parser is CommonJS too, so that the CLI's commands can import it statically (Node 20 cannot
// require() an ES module), and ONE file, so that both entries share one copy of the schema.
const PARSER_FILE = 'parser.cjs';
await build({
  ...cjs,
  stdin: {
    contents: Object.values(PARSER)
      .map((f) => `export * from './${f}';`)
      .join('\n'),
    resolveDir: '.',
    sourcefile: 'parser.ts',
    loader: 'ts',
  },
  outfile: `dist/parser/${PARSER_FILE}`,
});
// Each library's module.exports is what require() gives, as Node would (postgres's default export is
// its CommonJS build's module.exports): the bundle imports them with Node's interop, default = module.exports.
for (const [name, pkg] of Object.entries(LIBS))
  await build({
    ...cjs,
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: '.', sourcefile: `${name}.cjs` },
    outfile: `dist/lib/${name}.cjs`,
    plugins: [postgresNullSocketGuard, lazyTls],
  });
await build({
  ...cjs,
  // bin/promise.js keys its code cache by the first line (the bundle's own hash is filled in below).
  // The file is CommonJS's wrapper function whole, so that bin/promise.js compiles the very
  // string it read: wrapping it there copied 300 KB more into V8's young heap, a scavenge.
  banner: { js: `/* promise build ${BUILD_ID} bundle ${UNHASHED} */\n(function (exports, require, module, __filename, __dirname, __importMetaUrl, __load) {` },
  footer: { js: '})' },
  // bin/promise.js passes the file's URL in, as ESM's import.meta.url would be.
  define: { ...common.define, 'import.meta.url': '__importMetaUrl' },
  entryPoints: { cli: 'src/cli/main.ts', check: 'src/cli/checkMain.ts' },
  outdir: 'dist',
  external: ['better-sqlite3/package.json'],
  plugins: [
    versionOnly,
    externalEntries(PARSER, './parser', PARSER_FILE),
    externalEntries(SERVER, './server'),
    externalLibs,
    lazyChildProcess,
    sqliteAddon,
    lazyCrypto,
    lazyTls,
  ],
});
for (const [file, least] of [
  [CLI_CJS, Object.keys(SERVER).length + 1],
  [CHECK_CJS, 1],
]) {
  const text = readFileSync(file, 'utf8');
  const loads = text.match(EXTERNAL_IMPORT) ?? [];
  // The parser's, the server's and the libraries' entries, and no other import(): vm could not run it.
  const rewritten = text.replace(EXTERNAL_IMPORT, '__load("$1")');
  if (loads.length < least || /\bimport\(/.test(rewritten))
    throw new Error(`${file}: expected import() only of ./parser/, ./server/ and ./lib/ entries (found ${loads.join(', ')})`);
  const bundleHash = createHash('sha256').update(rewritten).digest('hex').slice(0, 16);
  writeFileSync(file, rewritten.replace(`bundle ${UNHASHED}`, `bundle ${bundleHash}`));
}
// The log's writer thread (src/cli/writer.ts), for a batch and the server: a worker loads a file, not a
// function of the CLI's bundle; only a batch or the server starts it. The log's own store and dialects, bundled again.
await build({
  ...cjs,
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { ...common.define, 'import.meta.url': '__importMetaUrl' },
  entryPoints: { writer: 'src/cli/writer.ts' },
  outdir: 'dist',
  external: ['better-sqlite3/package.json'],
  // A team log's client is the CLI's own dist/lib/postgres.cjs, required only by a thread on a team log.
  plugins: [sqliteAddon, externalLibs],
});
await build({
  ...common,
  entryPoints: SERVER,
  outdir: 'dist/server',
  plugins: [externalEntries(PARSER, '../parser', PARSER_FILE), postgresNullSocketGuard, lazyChildProcess],
});

/**
 * `promise --help` into a pipe or a file is this text (bin/promise.js), printed here by
 * the CLI itself: the same commander, the same width (80 where there is no terminal),
 * no colours (as commander without a terminal). A test compares it with `promise help`.
 */
{
  const cache = mkdtempSync(join(tmpdir(), 'promise-build-'));
  const env = { ...process.env, XDG_CACHE_HOME: cache };
  for (const name of ['FORCE_COLOR', 'CLICOLOR_FORCE']) delete env[name];
  const help = spawnSync(process.execPath, ['bin/promise.js', 'help'], { env, encoding: 'utf8' });
  rmSync(cache, { recursive: true, force: true });
  if (help.status !== 0 || !help.stdout.startsWith('Usage: promise')) throw new Error(`promise help exited ${help.status}: ${help.stderr}`);
  writeFileSync('dist/help.txt', help.stdout);
}
