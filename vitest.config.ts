import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Shell checks need zsh, fish and shellcheck (npm run test:shells), the browser test
    // chromium (npm run test:browser), the client checks Java for the Nu HTML checker and
    // python's vobject and icalendar, pgbouncer (npm run test:clients): .ci/run installs them and
    // runs each after npm test.
    exclude: [
      ...(process.env.PROMISE_SHELL_TESTS ? [] : ['test/shells/**']),
      ...(process.env.PROMISE_BROWSER_TESTS ? [] : ['test/browser/**']),
      ...(process.env.PROMISE_CLIENT_TESTS ? [] : ['test/clients/**']),
    ],
    globalSetup: ['test/helpers/buildFirst.ts', 'test/helpers/postgresSetup.ts'],
    // Processes, not threads: clock.ts switches TZ, and ICU's zone is per process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
