import { defineConfig } from 'vitest/config';

// The suites StrykerJS runs against each mutant of functions/core and functions/adapters/dynamo (`npm run mutate`):
// the unit tests and the DynamoDB integration tests (dynalite in-process). The end-to-end, workflow and infra suites
// boot the whole local runtime or synthesize the stack: minutes per mutant, and they reach the same code through
// these. The command-line tests spawn a new process, which mutants do not reach; the OpenAPI test synthesizes the stack.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/{repository,guards,partner-api}.test.ts'],
    exclude: ['test/unit/cli.test.ts', 'test/unit/openapi.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
