import { defineConfig } from 'vitest/config';

// The suites StrykerJS runs against each mutant of functions/core and functions/adapters/dynamo (`npm run mutate`, or
// the files named with --mutate): the unit tests and the DynamoDB tests that need nothing but dynalite in-process
// (repository, guards, storage, intake limits, the revision's re-confirmation, the address confirmation's mail, the
// pipeline counters' adapters, the Partner Central sync's items, the repository's smaller modules, a human step's write
// and effects with Step Functions faked, the sizing steps' handlers, the routing task, operations' actions with the
// workflow adapters recorded, the intake outbox, the expiry sweep, the Partner Central use cases against the stand-in
// in-process, the notifier with SES recorded, the nudge, ending a workflow, operations' reads, the table migrations).
// The end-to-end, workflow, infra and partner-API suites boot the local runtime or Step Functions, or synthesize the
// stack: seconds to minutes per mutant on a shared 2-core machine. The command-line tests spawn a new process, which
// mutants do not reach; the OpenAPI test synthesizes the stack. Mutants these suites leave alive may still be killed
// by those (docs/MUTATION-TESTING.md).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/{repository,guards,storage,intake-limits,revision-reconfirmation,confirmation-slots,confirmation-mail,pipeline-counters,partner-central-store,application-storage,run-command,sizing-steps,route-partner,ops-actions,start-pending,expiry-sweep,partner-central-submission-steps,partner-central-filing-steps,partner-central-update-steps,partner-central-access-steps,partner-central-sync-steps,notifier,ops-nudge,end-workflow,ops-reads,ops-insights,migrations}.test.ts'],
    exclude: ['test/unit/cli.test.ts', 'test/unit/openapi.test.ts'],
    setupFiles: ['test/setup.ts'],
    // storage.test.ts's long-lived application (30 revision rounds, a year of reminders: ~8 s) is skipped per mutant;
    // its other cases (the crash between two writes, schema versions, the lease) run.
    env: { ACE_MUTATION_RUN: '1' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
