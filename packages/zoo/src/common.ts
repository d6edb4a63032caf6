import { noGrad, tensor, type Tensor } from '@backprop/autograd';
import { StandardScaler, type Dataset } from '@backprop/data';
import { Linear, type Module, type Standardize, init } from '@backprop/nn';
import type { ModelCard } from './card';

/** int32 labels [n] as float targets [n, 1] for a one-logit binary classifier. */
export function asColumn(labels: Tensor): Tensor {
  return tensor(Float32Array.from(labels.values()), { shape: [labels.size, 1] });
}

/** Sets a Standardize layer's buffers from training features (data's StandardScaler statistics). */
export function fitStandardize(layer: Standardize, x: Tensor): void {
  const scaler = StandardScaler.fit(x);
  noGrad(() => {
    layer.mean.copy_(scaler.mean);
    layer.std.copy_(scaler.std);
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
