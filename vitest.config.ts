import { defineConfig } from 'vitest/config';

// One command runs every suite; each folder of test/ is a suite that can also run alone
// (e.g. `npx vitest run test/unit`).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Generous limits: CDK synth and the local runtime take several times longer on a loaded 2-core machine;
    // these bound a hang, they assert nothing about speed.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
