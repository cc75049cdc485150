import { defineConfig } from 'vitest/config';

// CI asks for a JSON summary beside the usual output (.ci/run totals it).
const results = process.env.VITEST_RESULTS;

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites start engines (PGlite, brokers, throwaway PostgreSQL); files run in
    // separate forks so one suite's engines cannot disturb another's.
    pool: 'forks',
    globalSetup: ['infra/test/support/dashboard-global-setup.ts'],
    reporters: results ? ['default', ['json', { outputFile: results }]] : ['default'],
  },
});
