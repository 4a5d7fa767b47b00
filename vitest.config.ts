import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Memory tests settle the heap before measuring.
    execArgv: ['--expose-gc'],
    globalSetup: ['tests/setup/global-setup.ts'],
  },
});
