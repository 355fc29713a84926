import { defineConfig } from 'vitest/config';

// One command runs every suite; each folder of test/ is a suite that can also run alone
// (e.g. `npx vitest run test/unit`).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    // Hooks synthesize the stack or boot the local runtime: on a shared 2-core machine under load that can take minutes.
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
