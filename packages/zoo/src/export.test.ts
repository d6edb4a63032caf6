import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noGrad, type Tensor } from '@backprop/autograd';
import { exportOnnx, exportPyTorch, predict, saveSafetensors, type Module } from '@backprop/nn';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { excessOverBound } from '../../../tools/closeness';
import { chromiumAvailable, OrtWebPage } from '../../../tools/onnx-runtime-web';
import { python } from '../../../tools/python';
import { recipes, type Recipe } from './index';

const work = mkdtempSync(join(tmpdir(), 'backprop-zoo-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// onnx.checker at full check, then the PyTorch export in torch on the same input: its output as JSON.
const PYTHON = `
import importlib.util, json, sys, onnx, torch
onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)
spec = importlib.util.spec_from_file_location("exported", sys.argv[2])
exported = importlib.util.module_from_spec(spec)
spec.loader.exec_module(exported)
model = exported.Model()
model.load_state_dict(exported.load_weights(sys.argv[3]), strict=True)
model.eval()
data = exported.load_weights(sys.argv[4])
with torch.no_grad():
    print(json.dumps(model(data["x"]).flatten().tolist()))
`;

interface Exported {
  model: Module;
  /** Up to 64 test samples, shaped as the model takes them. */
  x: Tensor;
  /** backprop's outputs on them. */
  want: Tensor;
  onnxFile: Uint8Array;
}

/** A zoo model's ONNX file, with test samples and backprop's outputs on them: one per recipe, for every engine. */
const exported = new Map<string, Promise<Exported>>();
function exportOf(r: Recipe): Promise<Exported> {
  if (!exported.has(r.name)) {
    exported.set(r.name, (async () => {
      const [m, { test }] = await Promise.all([r.load(), r.split()]);
      const n = Math.min(64, test.y.size);
      const flat = test.x.narrow(0, 0, n);
      const x = m.sampleShape ? flat.reshape([n, ...m.sampleShape]) : flat;
      const want = noGrad(() => predict(m.model, x));
      return { model: m.model, x, want, onnxFile: exportOnnx(m.model, { inputShape: [1, ...x.shape.slice(1)] }) };
    })());
  }
  return exported.get(r.name)!;
}

describe('every zoo model exports: onnx.checker passes it, ONNX Runtime and PyTorch give its outputs', () => {
  for (const r of recipes) {
    it(r.name, async () => {
      const { model, x, want, onnxFile } = await exportOf(r);
      const session = await ort.InferenceSession.create(onnxFile);
      const { output } = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.values()), x.shape) });
      await session.release();
      expect(output!.dims).toEqual(want.shape);
      expect(excessOverBound(output!.data as Float32Array, want.values())).toBeLessThanOrEqual(0);

      const { source, weights } = exportPyTorch(model);
      const files = ['model.onnx', 'model.py', 'model.safetensors', 'input.safetensors'].map((f) => join(work, `${r.name}-${f}`));
      [onnxFile, source, weights, saveSafetensors({ x })].forEach((content, i) => writeFileSync(files[i]!, content));
      const torchOutput = JSON.parse(python(['-c', PYTHON, ...files])) as number[];
      expect(excessOverBound(torchOutput, want.values())).toBeLessThanOrEqual(0);
    });
  }
});

describe.skipIf(!chromiumAvailable())('every zoo model exports: ONNX Runtime Web in Chromium gives its outputs', () => {
  let web: OrtWebPage;
  beforeAll(async () => {
    web = await OrtWebPage.open();
  });
  afterAll(() => web?.close());

  for (const r of recipes) {
    it(r.name, async () => {
      const { x, want, onnxFile } = await exportOf(r);
      const output = await web.run(onnxFile, { dtype: 'float32', values: x.values(), dims: x.shape });
      expect(output.dims).toEqual(want.shape);
      expect(excessOverBound(output.data, want.values())).toBeLessThanOrEqual(0);
    });
  }
});
