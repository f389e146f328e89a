import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'test/client/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // The engine's one public entry: code outside src/tenancy imports src/tenancy/index.js and nothing deeper.
    // (Blocks below, for the bottom layer, forbid the engine altogether; flat config lets the later block win.)
    files: [
      'src/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'cli.ts',
      'migrations-core/**/*.ts',
      'migrations-tenant/**/*.ts',
    ],
    ignores: ['src/tenancy/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/tenancy/*', '**/tenancy/**/*', '!**/tenancy/index.js'],
              message:
                'Import the engine through its public entry, src/tenancy/index.js (docs/reference/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // The second app (test/notes-app) proves the engine liftable: it imports nothing of the service but the
    // engine's public entry.
    files: ['test/notes-app/**/*.ts', 'test/medium/second-app.medium.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src/(?!tenancy/index\\.js$)',
              message:
                'The second app uses the engine through src/tenancy/index.js and nothing else of src/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine is a library: outside its own folders it imports only the bottom layer it is lifted with —
    // src/database and src/common's errors and async helpers (an allow-list: anything else of src/ is refused).
    files: ['src/tenancy/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./\\.\\./(?!database/|common/errors/|common/async/)',
              message:
                'src/tenancy imports only src/database and src/common/{errors,async} besides itself: hand what the engine needs in through TenancyModule.forRoot (docs/reference/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // The same for the engine's top-level files (index.ts, tenancy.module.ts), one folder up.
    files: ['src/tenancy/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!database/|common/errors/|common/async/)',
              message:
                'src/tenancy imports only src/database and src/common/{errors,async} besides itself (docs/reference/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // Infrastructure and shared helpers sit below every feature and the engine: they import none of them.
    files: ['src/common/**/*.ts', 'src/database/**/*.ts', 'src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/core/**',
                '**/tenant/**',
                '**/tenancy/**',
                '**/migrations-tenant/**',
                '**/migrations-core/**',
                '**/schemas.js',
              ],
              message:
                'src/common, src/database and src/config are the bottom layer: they are handed schemas and settings, never import features, the engine or migrations (docs/reference/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // Test helpers read arbitrary JSON replies.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
