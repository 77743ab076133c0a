import { defineConfig } from 'vitest/config';

/**
 * `npm run test:browser`: the library in headless Chromium (test/browser/browser.test.ts), an
 * esbuild bundle of a consumer's script (bundle.test.ts), the packed package installed alone
 * (install.test.ts), and the platform layer as Node.js sees it (runtime.test.ts). One file at a
 * time: they start browsers, servers and npm, and time fits.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
