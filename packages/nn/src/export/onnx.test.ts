import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, noGrad, randn, type Tensor } from '@backprop/autograd';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, OrtWebPage } from '../../../../tools/onnx-runtime-web';
import { AdaptiveAvgPool2d, BatchNorm1d, Dropout, ExportError, exportOnnx, Linear, MaxPool2d, Module, ReLU, Sequential } from '../index';
import { excessOverBound } from '../../../../tools/closeness';
import { python } from '../../../../tools/python';
import { exportCases, randomise } from './test-models';

const work = mkdtempSync(join(tmpdir(), 'backprop-onnx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** onnx.checker at full check (shape inference included) on the file, with Debian's python3-onnx. */
function checkWithOnnx(bytes: Uint8Array, name: string): void {
  const file = join(work, `${name}.onnx`);
  writeFileSync(file, bytes);
  const script = 'import onnx, sys\nonnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\nprint("ok")';
  expect(python(['-c', script, file]).trim()).toBe('ok');
}

/** The exported model's output in ONNX Runtime for input x. */
async function runOrt(bytes: Uint8Array, x: Tensor): Promise<{ dims: readonly number[]; data: Float32Array }> {
  const session = await ort.InferenceSession.create(bytes);
  const input = x.dtype === 'int32' ? new ort.Tensor('int32', Int32Array.from(x.values()), x.shape) : new ort.Tensor('float32', Float32Array.from(x.values()), x.shape);
  const { output } = await session.run({ input });
  await session.release();
  return { dims: output!.dims, data: output!.data as Float32Array };
}

/** backprop's output in eval mode. */
function expected(model: Module, x: Tensor): Tensor {
  model.eval();
  return noGrad(() => model.forward(x));
}

describe('exportOnnx: ONNX Runtime gives backprop\'s outputs, and onnx.checker passes the file', () => {
  manualSeed(0);
  for (const { name, make, sample, input = (shape: number[]) => randn(shape) } of exportCases) {
    it(name, async () => {
      const model = randomise(make());
      const bytes = exportOnnx(model, { inputShape: [1, ...sample] });
      checkWithOnnx(bytes, name.replace(/\W+/g, '-'));
      for (const batch of [1, 5]) {
        const x = input([batch, ...sample]);
        const want = expected(model, x);
        const got = await runOrt(bytes, x);
        expect(got.dims).toEqual(want.shape);
        expect(excessOverBound(got.data, want.values())).toBeLessThanOrEqual(0);
      }
    });
  }

  it('writes the batch dimension as symbolic, the weights under their state-dict keys, at the opset asked for', async () => {
    const model = new Sequential(new Linear(3, 2));
    for (const opsetVersion of [17, 21]) {
      const session = await ort.InferenceSession.create(exportOnnx(model, { inputShape: [4, 3], opsetVersion }));
      expect(session.inputNames).toEqual(['input']);
      expect(session.outputNames).toEqual(['output']);
      const { output } = await session.run({ input: new ort.Tensor('float32', new Float32Array(33), [11, 3]) });
      expect(output!.dims).toEqual([11, 2]);
      await session.release();
    }
    const text = new TextDecoder().decode(exportOnnx(model, { inputShape: [1, 3] }));
    expect(text).toContain('0.weight');
    expect(text).toContain('batch');
  });
});

describe.skipIf(!chromiumAvailable())('exportOnnx: ONNX Runtime Web in Chromium gives backprop\'s outputs', () => {
  let web: OrtWebPage;
  beforeAll(async () => {
    web = await OrtWebPage.open();
  });
  afterAll(() => web?.close());

  manualSeed(1);
  for (const { name, make, sample, input = (shape: number[]) => randn(shape) } of exportCases) {
    it(name, async () => {
      const model = randomise(make());
      const bytes = exportOnnx(model, { inputShape: [1, ...sample] });
      for (const batch of [1, 5]) {
        const x = input([batch, ...sample]);
        const want = expected(model, x);
        const got = await web.run(bytes, { dtype: x.dtype === 'int32' ? 'int32' : 'float32', values: x.values(), dims: x.shape });
        expect(got.dims).toEqual(want.shape);
        expect(excessOverBound(got.data, want.values())).toBeLessThanOrEqual(0);
      }
    });
  }
});

describe('exportOnnx: what it refuses, by name', () => {
  class Residual extends Module {
    readonly inner = new Linear(4, 4);
    forward(x: Tensor): Tensor {
      return x.add(this.inner.forward(x));
    }
  }

  it('a module with a forward of its own, named with its path', () => {
    const model = new Sequential(new Linear(4, 4), new Sequential(new ReLU(), new Residual()));
    expect(() => exportOnnx(model, { inputShape: [1, 4] })).toThrow(ExportError);
    expect(() => exportOnnx(model, { inputShape: [1, 4] })).toThrow(/cannot export Residual at '1.1'/);
    expect(() => exportOnnx(new Residual(), { inputShape: [1, 4] })).toThrow(/cannot export Residual at the model itself/);
    class MyLinear extends Linear {}
    expect(() => exportOnnx(new Sequential(new MyLinear(2, 2)), { inputShape: [1, 2] })).toThrow(/cannot export MyLinear at '0'/);
  });

  it('BatchNorm without running statistics', () => {
    expect(() => exportOnnx(new Sequential(new Linear(2, 3), new BatchNorm1d(3, { trackRunningStats: false })), { inputShape: [1, 2] })).toThrow(/BatchNorm1d at '1' keeps no running statistics/);
  });

  it('a ceil-mode pool that drops a last window on one axis only (ONNX rounds both axes alike)', () => {
    // Height 12: the window that would start at 12 is dropped (4 rows); width 13: a fifth, partial window.
    const model = new Sequential(new MaxPool2d(2, { stride: 3, ceilMode: true }));
    expect(() => exportOnnx(model, { inputShape: [1, 1, 12, 13] })).toThrow(/MaxPool2d at '0' \(ceilMode\) drops a last window on one axis only/);
    expect(() => exportOnnx(model, { inputShape: [1, 1, 13, 13] })).not.toThrow();
  });

  it('an adaptive pool whose windows differ in size at the exported input size', () => {
    const model = new Sequential(new AdaptiveAvgPool2d([3, 2]));
    expect(() => exportOnnx(model, { inputShape: [1, 1, 7, 4] })).toThrow(/AdaptiveAvgPool2d at '0' pools 7x4 in 3x2 windows that differ in size or overlap; ONNX has no adaptive pooling/);
    expect(() => exportOnnx(model, { inputShape: [1, 1, 9, 4] })).not.toThrow();
  });

  it('bad options and an input the model cannot take', () => {
    const model = new Sequential(new Linear(3, 2));
    expect(() => exportOnnx(model, { inputShape: [1, 4] })).toThrow(/does not take inputs of shape \[1, 4\]/);
    expect(() => exportOnnx(model, { inputShape: [1, 0] })).toThrow(/inputShape must be a non-empty array of positive integers/);
    expect(() => exportOnnx(model, { inputShape: '1,3' as unknown as number[] })).toThrow(/inputShape/);
    expect(() => exportOnnx(model, { inputShape: [1, 3], opsetVersion: 12 })).toThrow(/opsetVersion must be one of 17, 18, 19, 20, 21, got 12/);
    expect(() => exportOnnx(model, { inputShape: [1, 3], opset: 17 } as never)).toThrow(/unknown option 'opset'/);
    expect(() => exportOnnx(model, undefined as never)).toThrow(/inputShape are required/);
    expect(() => exportOnnx({} as Module, { inputShape: [1, 3] })).toThrow(/expected a Module/);
  });

  it('leaves the model in the mode it was in', () => {
    const model = new Sequential(new Linear(3, 2), new Dropout(0.5));
    exportOnnx(model, { inputShape: [1, 3] });
    expect(model.training).toBe(true);
    model.eval();
    exportOnnx(model, { inputShape: [1, 3] });
    expect(model.training).toBe(false);
  });
});
