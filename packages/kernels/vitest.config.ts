// Every kernel test runs twice: on the SIMD128 build, and on the relaxed-SIMD build in child processes
// started with --experimental-wasm-relaxed-simd (Node 20 has relaxed SIMD behind that flag).
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../tools/vitest.shared.ts';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        { extends: true, test: { name: 'simd', env: { BACKPROP_EXPECT_SIMD: 'simd' } } },
        {
          extends: true,
          test: {
            name: 'relaxed-simd',
            pool: 'forks',
            execArgv: ['--experimental-wasm-relaxed-simd'],
            env: { BACKPROP_EXPECT_SIMD: 'relaxed-simd' },
          },
        },
      ],
    },
  }),
);
