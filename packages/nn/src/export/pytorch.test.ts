import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, randn, type Tensor } from '@backprop/autograd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dropout, ExportError, exportPyTorch, Linear, loadSafetensors, Module, ReLU, Sequential, Standardize } from '../index';
import { layersOf } from './exportable';
import { excessOverBound, excessOverScaledBound } from '../../../../tools/closeness';
import { python } from '../../../../tools/python';
import { exportCases, randomise } from './test-models';

const work = mkdtempSync(join(tmpdir(), 'backprop-pytorch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Runs every exported model in Debian's python3-torch: loads the source and the weights (strictly), runs a batch
// in the given mode, backpropagates sum(output * r) and reports the output, the parameters' gradients and the
// buffers after the pass (running statistics move in train mode).
const DRIVER = `
import importlib.util, json, sys, torch
torch.set_num_threads(1)
results = {}
for job in json.load(open(sys.argv[1])):
    spec = importlib.util.spec_from_file_location("exported_" + job["id"], job["source"])
    exported = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exported)
    model = exported.Model()
    model.load_state_dict(exported.load_weights(job["weights"]), strict=True)
    model.train(job["mode"] == "train")
    dtype = torch.int64 if job["dtype"] == "int32" else torch.float32
    x = torch.tensor(job["x"], dtype=dtype).reshape(job["shape"]).requires_grad_(dtype == torch.float32)
    out = model(x)
    (out * torch.tensor(job["r"]).reshape(out.shape)).sum().backward()
    results[job["id"]] = {
        "shape": list(out.shape), "output": out.detach().flatten().tolist(),
        "grads": {k: p.grad.flatten().tolist() for k, p in model.named_parameters()},
        "inputGrad": x.grad.flatten().tolist() if x.grad is not None else None,
        "buffers": {k: b.flatten().tolist() for k, b in model.named_buffers() if b.is_floating_point()},
        "repr": repr(model),
    }
print(json.dumps(results))
`;

interface TorchResult { shape: number[]; output: number[]; grads: Record<string, number[]>; inputGrad: number[] | null; buffers: Record<string, number[]>; repr: string }

interface Job { id: string; mode: 'train' | 'eval'; model: Module; x: Tensor; r: Tensor }

const jobs: Job[] = [];
let torch: Record<string, TorchResult> = {};

manualSeed(1);
for (const [i, { make, sample, input = (shape: number[]) => randn(shape) }] of exportCases.entries()) {
  // Train mode too, where it is deterministic (no dropout): BatchNorm then uses and updates batch statistics.
  const modes: Job['mode'][] = layersOf('test', make()).some(({ layer }) => layer instanceof Dropout) ? ['eval'] : ['eval', 'train'];
  for (const mode of modes) {
    const model = randomise(make());
    const x = input([5, ...sample]);
    model.train(mode === 'train');
    const r = randn(model.forward(x).shape);
    jobs.push({ id: `${i}_${mode}`, mode, model: randomise(make()), x, r });
  }
}

beforeAll(() => {
  const manifest = jobs.map(({ id, mode, model, x, r }) => {
    const { source, weights } = exportPyTorch(model);
    const [sourceFile, weightsFile] = [join(work, `model_${id}.py`), join(work, `model_${id}.safetensors`)];
    writeFileSync(sourceFile, source);
    writeFileSync(weightsFile, weights);
    return { id, mode, source: sourceFile, weights: weightsFile, x: Array.from(x.values()), shape: x.shape, dtype: x.dtype, r: Array.from(r.values()) };
  });
  const manifestFile = join(work, 'jobs.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));
  torch = JSON.parse(python(['-c', DRIVER, manifestFile])) as Record<string, TorchResult>;
});

describe('exportPyTorch: torch runs the exported module with backprop\'s outputs, gradients and running statistics', () => {
  for (const job of jobs) {
    const { name } = exportCases[Number(job.id.split('_')[0])]!;
    it(`${name} (${job.mode} mode)`, () => {
      const { model, r, mode } = job;
      const { x } = job;
      if (x.dtype === 'float32') x.requiresGrad = true;
      model.train(mode === 'train');
      const out = model.forward(x);
      out.mul(r).sum().backward();
      const got = torch[job.id]!;
      expect(got.shape).toEqual(out.shape);
      expect(excessOverBound(got.output, out.values())).toBeLessThanOrEqual(0);
      if (x.requiresGrad) expect(excessOverScaledBound(got.inputGrad!, x.grad!.values())).toBeLessThanOrEqual(0);
      const params = model.namedParameters();
      expect(Object.keys(got.grads).sort()).toEqual(params.map(([k]) => k).sort());
      for (const [key, p] of params) expect(excessOverScaledBound(got.grads[key]!, p.grad!.values()), key).toBeLessThanOrEqual(0);
      for (const [key, b] of model.namedBuffers().filter(([, b]) => b.dtype === 'float32')) {
        expect(excessOverScaledBound(got.buffers[key]!, b.values()), key).toBeLessThanOrEqual(0);
      }
    });
  }

  it('writes Model as the model\'s own structure, and the weights under the state-dict keys', () => {
    const model = new Sequential(new Standardize(3), new Sequential(new Linear(3, 4), new ReLU()), new Dropout(0.25), new Linear(4, 2));
    const { source, weights } = exportPyTorch(model);
    expect(source).toContain('class Standardize(nn.Module):');
    expect(source).toContain('class Model(nn.Sequential):');
    expect(source).toContain('            nn.Sequential(\n                nn.Linear(3, 4, bias=True),\n                nn.ReLU(),\n            ),\n');
    expect(source).toContain('nn.Dropout(0.25)');
    expect([...loadSafetensors(weights).keys()].sort()).toEqual([...model.stateDict().keys()].sort());
    const layer = exportPyTorch(new Linear(2, 3, { bias: false })).source;
    expect(layer).toContain('class Model(nn.Linear):');
    expect(layer).toContain('super().__init__(2, 3, bias=False)');
    expect(layer).not.toContain('class Standardize');
  });

  it('names what it cannot export, with its path', () => {
    class Twice extends Module {
      forward(x: Tensor): Tensor {
        return x.mul(2);
      }
    }
    expect(() => exportPyTorch(new Sequential(new Linear(2, 2), new Sequential(new Twice())))).toThrow(ExportError);
    expect(() => exportPyTorch(new Sequential(new Linear(2, 2), new Sequential(new Twice())))).toThrow(/exportPyTorch: cannot export Twice at '1.0'/);
    expect(() => exportPyTorch('model' as unknown as Module)).toThrow(/expected a Module, got/);
  });

  it('torch reads the weights back into a model of the same source, and writes them as backprop reads them', () => {
    const model = randomise(new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2)));
    const { source, weights } = exportPyTorch(model);
    const [sourceFile, weightsFile, back] = [join(work, 'roundtrip.py'), join(work, 'roundtrip.safetensors'), join(work, 'back.safetensors')];
    writeFileSync(sourceFile, source);
    writeFileSync(weightsFile, weights);
    const script = `import importlib.util, sys\nspec = importlib.util.spec_from_file_location("m", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\nmodel = m.Model(); model.load_state_dict(m.load_weights(sys.argv[2]))\nm.save_weights(model.state_dict(), sys.argv[3])`;
    python(['-c', script, sourceFile, weightsFile, back]);
    const returned = loadSafetensors(readFileSync(back));
    for (const [key, t] of model.stateDict()) expect(Array.from(returned.get(key)!.values())).toEqual(Array.from(t.values()));
  });
});
