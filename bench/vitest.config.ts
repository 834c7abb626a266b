import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The bench's own tests (pure helpers and its small HTTP pieces); the project's config only looks in test/.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['bench/test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
