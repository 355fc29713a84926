import { defineConfig } from 'vitest/config';

// One command runs every suite; each folder of test/ is a suite that can also run alone
// (e.g. `npx vitest run test/unit`).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
