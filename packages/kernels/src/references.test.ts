import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import { kernelReferences } from './references';

describe('kernelReferences', () => {
  it('has a TypeScript reference for every function the WASM module exports, and names nothing else', () => {
    const exported = Object.entries(k.wasm as unknown as Record<string, unknown>)
      .filter(([name, value]) => typeof value === 'function' && name !== 'heapBase')
      .map(([name]) => name)
      .sort();
    expect(Object.keys(kernelReferences).sort()).toEqual(exported);
    for (const [name, fn] of Object.entries(kernelReferences)) expect(typeof fn, name).toBe('function');
  });
});
