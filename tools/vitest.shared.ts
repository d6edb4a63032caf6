// Every package's tests run on TypeScript source: the '@backprop/source' export condition points each
// workspace package at its src/index.ts, so no build sits between an edit and a test run.
import { defineConfig } from 'vitest/config';

const conditions = ['@backprop/source', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@backprop/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A timeout is there to catch a hang, not to time work: the heaviest tests (a 100,000-request server, 47
    // million Fashion-MNIST pixels, retraining the zoo's MNIST models) take 20-120 s on an idle 2-core machine and
    // several times that on a busy one, where CI must pass too.
    testTimeout: 600_000,
    // The same for setup: a beforeAll that starts Python with torch takes seconds idle and far more on a busy machine.
    hookTimeout: 600_000,
  },
});
