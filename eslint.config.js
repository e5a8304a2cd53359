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
    files: ['core/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['probot', '@octokit/*', '@actions/*', '@anthropic-ai/*', '@google/genai', 'openai', 'openai/*'], message: 'the engine must not depend on GitHub or LLM SDKs' },
          { group: ['**/cli/**', '**/agent/**', '**/validation/**', '**/app/**', '**/action/**', '**/domain/**'], message: 'the engine imports nothing of ours' },
        ],
      }],
    },
  },
  {
    // The agent may use the engine and the LLM SDKs, never GitHub libraries.
    files: ['core/agent/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['probot', '@octokit/*', '@actions/*'], message: 'the agent never imports GitHub libraries' },
          { group: ['**/app/**', '**/action/**', '**/cli/**', '**/validation/**'], message: 'the agent does not depend on its hosts or on validation' },
        ],
      }],
    },
  },
  {
    // The App decides and dispatches; it never runs agents or the executor (it may parse and lint graphs).
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@anthropic-ai/*', '@google/genai', 'openai', 'openai/*'], message: 'the App never imports an LLM SDK' },
          { group: ['**/agent/**', '**/validation/**', '**/engine/run/**', '**/engine/handlers/**', '**/engine/pipeline.ts', '**/action/**', '**/cli/**'], message: 'the App never runs agents, validation or the executor' },
        ],
      }],
    },
  },
  {
    // The shared contract schemas are pure: zod and nothing else of ours but engine types.
    files: ['core/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['probot', '@octokit/*', '@actions/*', '@anthropic-ai/*', '@google/genai', 'openai', 'openai/*'], message: 'domain schemas are pure' },
          { group: ['**/agent/**', '**/validation/**', '**/app/**', '**/action/**', '**/cli/**'], message: 'domain schemas depend on no host' },
        ],
      }],
    },
  },
  {
    // Validation drives the artifact with the agent's LLM layer; it may use agent, engine and domain, nothing above.
    files: ['core/validation/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['probot', '@octokit/*', '@actions/*'], message: 'validation never imports GitHub libraries' },
          { group: ['**/app/**', '**/action/**', '**/cli/**'], message: 'validation does not depend on its hosts' },
        ],
      }],
    },
  },
);
