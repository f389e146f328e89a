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
    // The engine is a library: it depends on nothing in src/core, src/tenant or the migration folders.
    files: ['src/tenancy/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/**', '**/tenant/**', '**/migrations-tenant/**', '**/migrations-core/**'],
              message:
                'src/tenancy imports nothing from src/core, src/tenant or the migration folders: hand what the engine needs in through TenancyModule.forRoot (docs/architecture.md).',
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
                'src/common, src/database and src/config are the bottom layer: they are handed schemas and settings, never import features, the engine or migrations (docs/architecture.md).',
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
