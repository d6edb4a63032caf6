import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { relaxedSimdPatch, simdModule } from './generated/modules';
import { diffFunctionBodies, patchFunctionBodies } from './module-patch';
import { encodeU32 } from './wasm-binary';

/** A module exporting a() and b(), each returning a constant; b's body has `nops` no-ops first. */
function module(a: number, b: number, nops = 0, exportName = 0x62): Uint8Array<ArrayBuffer> {
  const body = (value: number, pad: number): number[] => {
    const code = [0, ...Array<number>(pad).fill(0x01), 0x41, value, 0x0b];
    return [...encodeU32(code.length), ...code];
  };
  const section = (id: number, contents: number[]): number[] => [id, ...encodeU32(contents.length), ...contents];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 0, 1, 0x7f]),
    ...section(3, [2, 0, 0]),
    ...section(7, [2, 1, 0x61, 0, 0, 1, exportName, 0, 1]),
    ...section(10, [2, ...body(a, 0), ...body(b, nops)]),
  ]);
}

/** A module of raw function bodies (not valid code: for the patch's byte edits only). */
function rawModule(bodies: number[][]): Uint8Array {
  const code = [bodies.length, ...bodies.flatMap((b) => [...encodeU32(b.length), ...b])];
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 10, ...encodeU32(code.length), ...code]);
}

/** A small seeded generator (mulberry32), so a failing case repeats. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const run = (bytes: Uint8Array<ArrayBuffer>, name: string): number => (new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports[name] as () => number)();

describe('the relaxed-SIMD build as a patch of the SIMD128 build', () => {
  it('rebuilds the shipped relaxed-simd.wasm byte for byte from the inlined SIMD128 module and patch', () => {
    const simd = Buffer.from(simdModule, 'hex');
    const relaxed = patchFunctionBodies(simd, Buffer.from(relaxedSimdPatch, 'hex'));
    expect(Buffer.compare(relaxed, readFileSync(new URL('../build/relaxed-simd.wasm', import.meta.url)))).toBe(0);
    expect(Buffer.compare(simd, readFileSync(new URL('../build/simd.wasm', import.meta.url)))).toBe(0);
  });

  it('patches only the bodies that differ, whatever their sizes', () => {
    const base = module(3, 5);
    for (const target of [module(3, 9), module(3, 9, 200), module(3, 5)]) {
      const patch = diffFunctionBodies(base, target);
      expect(Array.from(patchFunctionBodies(base, patch))).toEqual(Array.from(target));
      expect(run(patchFunctionBodies(base, patch), 'b')).toBe(run(target, 'b'));
    }
    expect(Array.from(diffFunctionBodies(base, module(3, 5)))).toEqual([0]); // nothing changed
    // b's body [0, 0x41, 5, 0x0b] (no locals, i32.const 5, end) becomes [0, 0x41, 9, 0x0b]: in function 1, one edit
    // keeps 2 bytes, drops 1 and inserts 9.
    expect(Array.from(diffFunctionBodies(base, module(3, 9)))).toEqual([1, 1, 1, 2, 1, 1, 9]);
    // 200 no-ops inserted and the constant changed: two edits, the size byte too.
    expect(diffFunctionBodies(base, module(3, 9, 200)).length).toBeLessThan(215);
    expect(run(patchFunctionBodies(base, diffFunctionBodies(base, module(3, 9, 200))), 'a')).toBe(3);
    // Random bodies, edited at random: the patch always rebuilds the target.
    const random = seeded(7);
    for (let trial = 0; trial < 50; trial++) {
      const from = Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 4));
      const to = from.flatMap((byte) => (random() < 0.05 ? [] : random() < 0.05 ? [byte, Math.floor(random() * 256)] : [random() < 0.05 ? 9 : byte]));
      const [a, b] = [rawModule([from]), rawModule([to])];
      expect(Array.from(patchFunctionBodies(a, diffFunctionBodies(a, b)))).toEqual(Array.from(b));
    }
  });

  it('refuses modules that differ outside their bodies, and patches that do not fit', () => {
    expect(() => diffFunctionBodies(module(3, 5), module(3, 5, 0, 0x63))).toThrow('the two modules differ outside their function bodies');
    expect(() => patchFunctionBodies(module(3, 5), Uint8Array.from([1, 7, 1, 0, 0, 0]))).toThrow('the module patch does not fit its base: it edits function 7 of 2');
    expect(() => patchFunctionBodies(module(3, 5), Uint8Array.from([1, 1, 1, 3, 2, 0]))).toThrow("the module patch does not fit its base: it edits past the end of function 1's 4 bytes");
    expect(() => patchFunctionBodies(module(3, 5), Uint8Array.from([1, 1, 1, 0, 0, 3, 1]))).toThrow('the WebAssembly binary ends early (at byte 7)');
  });

  it('encodes LEB128 as the format does', () => {
    expect([0, 127, 128, 300, 2 ** 32 - 1].map(encodeU32)).toEqual([[0], [127], [0x80, 1], [0xac, 2], [0xff, 0xff, 0xff, 0xff, 0x0f]]);
  });
});
