import { noGrad, tensor, type Tensor } from '@backprop/autograd';
import type { Dataset } from '@backprop/data';
import { Linear, type Module, type Standardize, init } from '@backprop/nn';
import type { ModelCard } from './card';

/** int32 labels [n] as float targets [n, 1] for a one-logit binary classifier. */
export function asColumn(labels: Tensor): Tensor {
  return tensor(Float32Array.from(labels.values()), { shape: [labels.size, 1] });
}

/** Sets a Standardize layer's buffers from training features. */
export function fitStandardize(layer: Standardize, x: Tensor): void {
  const [n, f] = [x.shape[0]!, x.shape[1]!];
  const v = x.values();
  const mean = new Float32Array(f);
  const std = new Float32Array(f);
  for (let j = 0; j < f; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i * f + j]!;
    const m = s / n;
    let q = 0;
    for (let i = 0; i < n; i++) q += (v[i * f + j]! - m) ** 2;
    mean[j] = m;
    std[j] = q > 0 ? Math.sqrt(q / n) : 1;
  }
  noGrad(() => {
    layer.mean.copy_(tensor(mean));
    layer.std.copy_(tensor(std));
  });
}

/** He initialisation for ReLU layers (the lecture's choice for deep ReLU networks), zero biases. */
export function heInit(model: Module): void {
  for (const m of allModules(model)) {
    if (m instanceof Linear) {
      init.kaimingNormal_(m.weight, { nonlinearity: 'relu' });
      if (m.bias) init.zeros_(m.bias);
    }
  }
}

export function allModules(model: Module): Module[] {
  return [model, ...model.children().flatMap(allModules)];
}

export function countParameters(model: Module): number {
  return model.parameters().reduce((n, p) => n + p.size, 0);
}

export function datasetFacts(d: Dataset): ModelCard['dataset'] {
  return { name: d.name, source: d.source, license: d.license, samples: d.x.shape[0]!, features: d.x.shape[1]!, classes: d.classes };
}

export function simdLevelOf(): string {
  return 'simd (SIMD128); the relaxed-SIMD build rounds GEMM sums differently';
}
