// ESLint flat config: type-checked TypeScript rules, and import boundaries per folder (the engine is pure; the
// client never reaches into the server).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltinsForbiddenInEngine = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'child_process',
  'node:child_process',
  'http',
  'node:http',
  'https',
  'node:https',
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'out/**', '.e2e/**', '.vscode-test/**', '**/*.d.ts', 'test/**/fixtures/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' },
          ],
        },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinsForbiddenInEngine.map((name) => ({
            name,
            message: 'The engine is pure: read files through Host.',
          })),
          patterns: [
            {
              group: ['vscode', 'vscode-*', 'vscode/*'],
              message: 'The engine must not depend on an editor or LSP runtime.',
            },
            {
              group: ['**/lsp/**', '**/cli/**', '../lsp', '../cli'],
              message: 'The engine must not import its adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**'], message: 'The client talks to the server over LSP only.' }] },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'URL',
          'URLSearchParams',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'Buffer',
          'performance',
          'AbortController',
          'TextDecoder',
          'TextEncoder',
          'structuredClone',
          'queueMicrotask',
          'global',
          'window',
          'document',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
);
