// Bundles the CLI into dist/ so start-up loads a few files instead of hundreds of
// modules. Heavy libraries reached through dynamic import() (prompts, tables,
// progress bars, natural-language dates) land in their own chunks and load only
// on the paths that need them. better-sqlite3 stays external: it is a native addon.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// A hash of the sources: caches keyed by it never outlive the code that wrote them.
const sources = readdirSync('src', { recursive: true }).filter((f) => f.endsWith('.ts')).sort();
const buildId = createHash('sha256');
for (const f of sources) buildId.update(f).update(readFileSync(`src/${f}`));

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
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
});
