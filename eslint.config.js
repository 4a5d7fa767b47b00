import tseslint from 'typescript-eslint';

const electronImport = {
  paths: [{ name: 'electron', message: 'The engine is plain Node: only src-main/electron/ and src-preload/ may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'The engine is plain Node: only src-main/electron/ and src-preload/ may import electron.' }],
};

/** The engine, the preload and the shared contract are linted with type information. */
const TYPED = ['src-main/**/*.ts', 'src-preload/**/*.ts', 'src-shared/**/*.ts'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'tests/artifacts/**', '.cache/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', electronImport],
    },
  },
  {
    files: ['src-main/electron/**', 'src-preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TYPED })),
  {
    files: TYPED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise that rejects with nobody listening ends the process (the bridge crash of issue 12 was a
      // `void`ed one): a promise is awaited, returned, or given a rejection handler; `void` alone is not enough.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
