import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Configuration is read in one module only (STYLE.md).
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration in src/config/config.ts' }],
    },
  },
  {
    files: ['src/config/config.ts', 'src/cli/main.ts', '**/*.test.ts', 'src/test-support/**', 'test/**', 'bench/**', 'verify/**', 'scripts/**', 'clients/typescript/examples/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  { files: ['web/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    // A function is read at once: TigerBeetle's limit of 70 lines, counted without blank lines
    // and comments (a long TypeBox schema or a JSX form still fits). Tests, whose describe
    // blocks hold many cases, and generated files are exempt.
    files: ['src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', 'src/test-support/**', 'web/src/api/*.gen.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 70, skipBlankLines: true, skipComments: true }] },
  },
);
