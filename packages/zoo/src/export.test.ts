import { noGrad } from '@backprop/autograd';
import { exportOnnx, predict } from '@backprop/nn';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { recipes } from './index';

describe('every zoo model exports to ONNX, and ONNX Runtime gives its outputs', () => {
  for (const r of recipes) {
    it(r.name, async () => {
      const [m, { test }] = await Promise.all([r.load(), r.split()]);
      const n = Math.min(64, test.y.size);
      const flat = test.x.narrow(0, 0, n);
      const x = m.sampleShape ? flat.reshape([n, ...m.sampleShape]) : flat;
      const want = noGrad(() => predict(m.model, x));
      const session = await ort.InferenceSession.create(exportOnnx(m.model, { inputShape: [1, ...x.shape.slice(1)] }));
      const { output } = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.values()), x.shape) });
      await session.release();
      expect(output!.dims).toEqual(want.shape);
      const got = output!.data as Float32Array;
      const expected = want.values();
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!) - 1e-4 * Math.abs(expected[i]!));
      expect(worst).toBeLessThanOrEqual(1e-5);
    });
  }
});
