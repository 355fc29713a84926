// Lint config: typescript-eslint recommended rules, plus import boundaries that keep every arrow pointing one way:
// handlers (http/, workflow/, events/) → use cases → core; adapters at the edge; wiring/ puts them together.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const AWS_AND_LAMBDA = { group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', '@aws-lambda-powertools/*', '@middy/*'], message: 'The core and the schemas are pure: no AWS or Lambda imports.' };
const HANDLERS = ['**/http/**', '**/workflow/**', '**/events/**'];

/** `no-restricted-imports` with these patterns (one block per file set: a later block would replace an earlier one). */
const restrictImports = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', 'cdk.out*/**', '.local/**', '.bench/**', 'coverage/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  restrictImports(['functions/core/**/*.ts'], [
    AWS_AND_LAMBDA,
    { group: ['**/adapters/**', ...HANDLERS, '**/usecases/**', '**/wiring/**', '**/lib/**'], message: 'The core must not depend on adapters, handlers, use cases, wiring or infrastructure.' },
    { group: ['**/schemas/api.ts'], message: 'The core does not know HTTP response shapes: views for the API live beside it (functions/http/views.ts).' },
  ]),
  restrictImports(['schemas/**/*.ts'], [
    AWS_AND_LAMBDA,
    { group: ['**/adapters/**', ...HANDLERS, '**/usecases/**', '**/wiring/**', '**/lib/**'], message: 'Schemas must not depend on adapters, handlers, use cases, wiring or infrastructure.' },
  ]),
  restrictImports(['functions/usecases/**/*.ts'], [
    { group: [...HANDLERS, '**/wiring/**', '**/lib/**'], message: 'Use cases are called by handlers (HTTP, workflow, events), never the other way round; wiring/ builds their dependencies.' },
  ]),
  restrictImports(['functions/adapters/**/*.ts'], [
    { group: ['**/usecases/**', ...HANDLERS, '**/wiring/**', '**/lib/**'], message: 'Adapters are the edge: they know the core, not the use cases, handlers or wiring (that goes in functions/wiring/).' },
  ]),
  // Handlers whose logic is a use case only wire it: no planning from the core (its errors are fine).
  restrictImports(['functions/workflow/route.ts', 'functions/workflow/expiry-sweep.ts', 'functions/events/**/*.ts'], [
    { group: ['**/core/**', '!**/core/errors.ts'], message: 'This handler only wires its use case (functions/usecases/): the logic belongs there.' },
  ]),
  {
    // The task-token kinds are defined once (functions/core/application/commands.ts TASK_TOKEN_KINDS).
    files: ['functions/**/*.ts', 'lib/**/*.ts', 'schemas/**/*.ts', 'bin/**/*.ts'],
    ignores: ['functions/core/application/commands.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'Literal[value=/^(partner-review|founder-revision|aws-decision)$/]',
        message: 'A task-token kind: use TASK_TOKEN_KINDS from functions/core/application/commands.ts (one definition).',
      }],
    },
  },
);
