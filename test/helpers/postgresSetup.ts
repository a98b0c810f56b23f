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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresPort', server.port);
  return () => server.stop();
}
