import { defineConfig } from 'vitest/config';

// Browser tests: need Debian's chromium at /usr/bin/chromium (CI installs it); `npm test` does not run them.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
