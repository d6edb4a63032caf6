import { noGrad, tensor } from '@backprop/autograd';
import { Conv2d, exportOnnx, Flatten, Linear, MaxPool2d, ReLU, type Sequential, Standardize, Tanh, type Module } from '@backprop/nn';
import { breastCancer, mnist } from '@backprop/data';
import { deepMlp, lenet, logisticRegression, xorMlp, type ZooModel } from '@backprop/zoo';
import { sink, type Impl, type InferenceCase, type LayerSpec, type Prepared } from '../cases';
import { b64, type External } from '../external';
import { runCase, type Result } from './run';

/** The layers of a shipped Sequential model as plain arrays (image models: their maps' shape followed along). */
export function describe(model: ZooModel): LayerSpec[] {
  const net = model.model as Sequential;
  let [channels, height, width] = (model.sampleShape ?? [0, 0, 0]) as [number, number, number];
  return net.layers.map((layer: Module): LayerSpec => {
    if (layer instanceof Conv2d) {
      if (layer.padding === 'same') throw new Error("inference suite: no description for a Conv2d padded 'same'");
      const [k, p] = [layer.kernelSize[0], layer.padding[0]];
      [channels, height, width] = [layer.outChannels, height + 2 * p - k + 1, width + 2 * p - k + 1];
      return { kind: 'conv', weight: Float32Array.from(layer.weight.values()), bias: Float32Array.from(layer.bias!.values()), out: layer.outChannels, in: layer.inChannels, kernel: k, padding: p };
    }
    if (layer instanceof MaxPool2d) {
      const k = layer.kernelSize[0];
      [height, width] = [Math.floor(height / k), Math.floor(width / k)];
      return { kind: 'maxpool', kernel: k };
    }
    if (layer instanceof Flatten) return { kind: 'flatten', shape: [channels, height, width] };
    if (layer instanceof Standardize) return { kind: 'standardize', mean: Float32Array.from(layer.mean.values()), std: Float32Array.from(layer.std.values()) };
    if (layer instanceof Linear) {
      return { kind: 'linear', weight: Float32Array.from(layer.weight.values()), bias: Float32Array.from(layer.bias!.values()), out: layer.outFeatures, in: layer.inFeatures };
    }
    if (layer instanceof Tanh) return { kind: 'tanh' };
    if (layer instanceof ReLU) return { kind: 'relu' };
    throw new Error(`inference suite: no description for layer ${layer.constructor.name}`);
  });
}

/** Rows of real inputs for a model, repeated to fill a batch. */
function batchOf(source: Float32Array | Float64Array | Int32Array, features: number, batch: number): Float32Array {
  const rows = source.length / features;
  const out = new Float32Array(batch * features);
  for (let i = 0; i < batch; i++) out.set(source.subarray((i % rows) * features, (i % rows + 1) * features), i * features);
  return out;
}

export async function inferenceSuite(impls: Impl[], quick: boolean, externals: External[] = []): Promise<Result[]> {
  const models = [
    { recipe: xorMlp, features: 2, inputs: Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]) },
    { recipe: logisticRegression, features: 30, inputs: (await breastCancer()).x.values() },
    { recipe: deepMlp, features: 784, inputs: (await mnist()).x.slice(0, 512).values() },
    { recipe: lenet, features: 784, inputs: (await mnist()).x.slice(0, 512).values() },
  ];
  const results: Result[] = [];
  for (const { recipe, features, inputs } of models) {
    const model = await recipe.load();
    const layers = describe(model);
    const image = model.sampleShape as [number, number, number] | undefined;
    const onnx = exportOnnx(model.model, { inputShape: [1, ...(image ?? [features])] });
    for (const batch of quick ? [256] : [1, 256]) {
      const c: InferenceCase = { name: `inference ${recipe.name} b${batch}`, model: recipe.name, batch, features, ...(image ? { image } : {}), layers, onnx };
      const x = batchOf(inputs, features, batch);
      results.push(...(await runCase({
        suite: 'inference', name: c.name,
        prepare: (impl) => (impl.name === 'backprop' ? backpropInference(model, c, x) : impl.inference?.(c, x)),
        rates: (ms) => ({ samplesPerSec: (batch * 1000) / ms }),
        spec: () => ({
          batch, features, image, x: b64(x),
          layers: layers.map((l) => (l.kind === 'standardize' ? { ...l, mean: b64(l.mean), std: b64(l.std) } : l.kind === 'linear' || l.kind === 'conv' ? { ...l, weight: b64(l.weight), bias: b64(l.bias) } : l)),
        }),
      }, impls, quick, externals)));
    }
  }
  return results;
}


/** backprop runs the shipped ZooModel itself as a user would: forward in eval mode under noGrad, logits read back (images as [n, c, h, w]). */
function backpropInference(model: ZooModel, c: InferenceCase, values: Float32Array): Prepared {
  const x = tensor(values, { shape: c.image ? [c.batch, ...c.image] : [c.batch, c.features] });
  model.model.eval();
  let last: Float32Array = new Float32Array(0);
  return {
    run() {
      last = noGrad(() => model.model.forward(x)).values() as Float32Array;
      sink.value += last[0]!;
    },
    output: () => last,
    dispose: () => x.dispose(),
  };
}
