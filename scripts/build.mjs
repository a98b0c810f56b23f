// Bundles the CLI into dist/ so start-up loads a few files instead of hundreds of
// modules. Heavy libraries reached through dynamic import() (prompts, tables,
// progress bars, natural-language dates) land in their own chunks and load only
// on the paths that need them. better-sqlite3 stays external: it is a native addon.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

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
  logLevel: 'warning',
});
