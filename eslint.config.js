import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The engine knows nothing of GitHub or any LLM SDK (shared/design/README.md, dependency rules).
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['probot', '@octokit/*', '@actions/*', '@anthropic-ai/*', 'openai', 'openai/*'], message: 'the engine must not depend on GitHub or LLM SDKs' },
          { group: ['../cli/*', '../agent/*', '../app/*', '../action/*', '../domain/*'], message: 'the engine imports nothing of ours' },
        ],
      }],
    },
  },
);
