// vitest's global setup: end-to-end tests run the built CLI, so build it first;
// a test never runs a bundle older than the sources it is judged against.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: new URL('../..', import.meta.url).pathname, stdio: 'inherit' });
}
