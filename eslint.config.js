import tseslint from 'typescript-eslint';

const electronImport = {
  paths: [{ name: 'electron', message: 'The engine is plain Node: only src-main/electron/ and src-preload/ may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'The engine is plain Node: only src-main/electron/ and src-preload/ may import electron.' }],
};

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
);
