import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Chromium, bundles and a packed install: their own run (npm run test:browser, vitest.browser.config.ts).
    // PostgreSQL pushdown: its own run against a throw-away cluster (npm run test:engines sets
    // LOGREG_PG_TESTS=1), so that a plain `npm test` neither starts a server nor skips tests.
    exclude: ['test/browser/**', '**/node_modules/**', ...(process.env.LOGREG_PG_TESTS === '1' ? [] : ['test/engine/postgres.test.ts'])],
    // CLI tests spawn the built command; give them room on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
