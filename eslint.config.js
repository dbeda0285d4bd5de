// Lint: typescript-eslint's strict, type-aware rules over the TypeScript sources, tests and benchmarks.
// Formatting is Prettier's job (npm run format), so no stylistic rules are turned on here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', '.bench-build/', 'coverage/', 'node_modules/', 'tune-results/', 'examples/', 'templates/', 'bin/', 'test/fixtures/', '*.config.js'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers with their unit read best interpolated as they are ("512 MB").
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Implementations of an async interface (a command, a gateway) may have nothing to wait for.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // In a test, an assumption that does not hold throws and fails the test, which is what it should do.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
