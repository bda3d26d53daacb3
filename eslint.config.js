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
    files: ['src/config/config.ts', 'src/cli/main.ts', '**/*.test.ts', 'src/test-support/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['web/**'],
    languageOptions: { globals: { ...globals.browser } },
    // Functions short enough to read at once (STYLE.md); split a longer one into parts.
    rules: { 'max-lines-per-function': ['error', { max: 70, skipBlankLines: true, skipComments: true }] },
  },
);
