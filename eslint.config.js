// Lint config: typescript-eslint recommended rules, plus a guard that keeps the pure core free of AWS imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    files: ['functions/core/**/*.ts', 'schemas/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', '@aws-lambda-powertools/*', '@middy/*'], message: 'The core and the schemas are pure: no AWS or Lambda imports.' },
            { group: ['**/adapters/**', '**/http/**', '**/workflow/**', '**/lib/**'], message: 'The core must not depend on adapters, handlers or infrastructure.' },
          ],
        },
      ],
    },
  },
);
