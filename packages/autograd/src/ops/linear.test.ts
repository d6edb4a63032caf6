import { describe, expect, it } from 'vitest';
import { linear, manualSeed, noGrad, randn, relu, sigmoid, tanh, type LinearActivation, type Tensor } from '../index';

const separate: Record<LinearActivation, (t: Tensor) => Tensor> = { relu, tanh, sigmoid };
const bits = (t: Tensor | null): number[] => Array.from(new Uint32Array(Float32Array.from(t!.values()).buffer));

describe('linear with an activation in the op', () => {
  // 1 and 3 rows take the few-rows GEMM, 4 and 17 the packed one; 257 inputs leave a tail in every loop.
  for (const activation of ['relu', 'tanh', 'sigmoid'] as const) {
    it(`${activation}: the same bits as linear then ${activation}, forward and every gradient`, () => {
      manualSeed(7);
      for (const [rows, inF, outF] of [[1, 3, 5], [3, 17, 9], [4, 257, 6], [17, 8, 33]] as const) {
        const x = randn([rows, inF], { requiresGrad: true });
        const w = randn([outF, inF], { requiresGrad: true });
        const b = randn([outF], { requiresGrad: true });
        const dy = randn([rows, outF]);
        const run = (fused: boolean): number[][] => {
          const y = fused ? linear(x, w, b, { activation }) : separate[activation](linear(x, w, b));
          y.backward(dy);
          const out = [bits(y), bits(x.grad), bits(w.grad), bits(b.grad)];
          for (const t of [x, w, b]) t.grad = null;
          return out;
        };
        const [want, got] = [run(false), run(true)];
        expect(got, `${rows}x${inF} -> ${outF}`).toEqual(want);
        // noGrad takes the path that records nothing.
        expect(bits(noGrad(() => linear(x, w, b, { activation })))).toEqual(want[0]);
      }
    });
  }

  it('applies the activation: relu leaves no negative value where the product has many', () => {
    manualSeed(8);
    const [x, w] = [randn([8, 16]), randn([12, 16])];
    const plain = Array.from(linear(x, w).values());
    const activated = Array.from(linear(x, w, null, { activation: 'relu' }).values());
    expect(plain.some((v) => v < 0)).toBe(true);
    expect(activated).toEqual(plain.map((v) => Math.max(v, 0)));
  });

  it('names a bad option', () => {
    const [x, w] = [randn([2, 3]), randn([4, 3])];
    expect(() => linear(x, w, null, { activation: 'gelu' as LinearActivation })).toThrow("linear: activation must be one of 'relu', 'tanh', 'sigmoid', got the string 'gelu'");
    expect(() => linear(x, w, null, { activation: 1 as unknown as LinearActivation })).toThrow('linear: activation must be a string, got a number');
    expect(() => linear(x, w, null, { act: 'relu' } as never)).toThrow("linear: unknown option 'act' (options: activation)");
  });
});
