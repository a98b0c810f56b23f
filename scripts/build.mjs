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
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

// A hash of the sources: caches keyed by it never outlive the code that wrote them.
const sources = readdirSync('src', { recursive: true })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .sort();
const buildId = createHash('sha256');
for (const f of sources) buildId.update(f).update(readFileSync(`src/${f}`));

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
  define: { 'globalThis.PROMISE_BUILD_ID': JSON.stringify(buildId.digest('hex').slice(0, 16)) },
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

/** Imports of another build's entry points go to that build's folder (`dir`, relative to the importing bundle). */
const externalEntries = (entries, dir) => ({
  name: `external-${dir}`,
  setup(b) {
    const names = new Map(Object.entries(entries).map(([name, file]) => [resolve(file), name]));
    b.onResolve({ filter: new RegExp(`/(${Object.keys(entries).join('|')})\\.js$`) }, async ({ path, resolveDir, kind, pluginData }) => {
      if (pluginData === dir) return undefined; // the b.resolve below
      const resolved = await b.resolve(path, { resolveDir, kind, pluginData: dir });
      const name = names.get(resolved.path);
      return name ? { path: `${dir}/${name}.js`, external: true } : undefined;
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
    b.onLoad({ filter: /postgres[\\/]src[\\/]connection\.js$/ }, async ({ path }) => {
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

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({ ...common, entryPoints: PARSER, outdir: 'dist/parser' });
await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  plugins: [externalEntries(PARSER, './parser'), externalEntries(SERVER, './server'), postgresNullSocketGuard, lazyChildProcess],
});
await build({
  ...common,
  entryPoints: SERVER,
  outdir: 'dist/server',
  plugins: [externalEntries(PARSER, '../parser'), postgresNullSocketGuard, lazyChildProcess],
});
