import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites start engines (PGlite, brokers, throwaway PostgreSQL); files run in
    // separate forks so one suite's engines cannot disturb another's.
    pool: 'forks',
  },
});
