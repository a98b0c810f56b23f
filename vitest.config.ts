import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Shell checks need zsh and fish: npm run test:shells (.ci/run installs them).
    exclude: process.env.PROMISE_SHELL_TESTS ? [] : ['test/shells/**'],
    globalSetup: ['test/helpers/buildFirst.ts', 'test/helpers/postgresSetup.ts'],
    // Processes, not threads: clock.ts switches TZ, and ICU's zone is per process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
