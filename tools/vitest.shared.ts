// Every package's tests run on TypeScript source: the '@backprop/source' export condition points each
// workspace package at its src/index.ts, so no build sits between an edit and a test run.
import { defineConfig } from 'vitest/config';

const conditions = ['@backprop/source', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@backprop/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
