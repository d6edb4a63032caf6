import { loadSafetensors, SafetensorsError } from '@backprop/nn';
import { describe, expect, it } from 'vitest';
import { deepMlp, fashionCnn, lenet, logisticRegression, recipe, recipes, xorMlp, xorPoints, type ZooModel } from './index';
import { weightsFile } from './recipe';

function weightsOf(model: ZooModel): Map<string, number[]> {
  return new Map([...model.model.stateDict()].map(([k, t]) => [k, Array.from(t.values())]));
}

describe('the registry', () => {
  for (const r of recipes) {
    it(`${r.name}: the shipped weights score their card's accuracy on the recipe's test split, the card counts the parameters`, async () => {
      const [m, { test }] = await Promise.all([r.load(), r.split()]);
      expect(m.accuracy(test.x, test.y)).toBe(m.card.results!.testAccuracy);
      const parameters = m.model.parameters().reduce((n, p) => n + p.size, 0);
      expect(m.card.parameters).toBe(parameters);
      expect(r.create().card.parameters).toBe(parameters);
      expect(m.card.split.test).toBe(test.y.size);
      expect(recipe(r.name)).toBe(r);
    });
  }

  it('names the models when asked for one it does not have', () => {
    expect(() => recipe('resnet')).toThrow("no zoo model named 'resnet' (models: logistic-regression, xor-mlp, deep-mlp, lenet, fashion-cnn)");
  });
});

describe('shipped models', () => {
  it('logisticRegression: >= 95% on the fixed 20% test split of Breast Cancer Wisconsin, from raw features', async () => {
    const m = await logisticRegression.load();
    const { test } = await logisticRegression.split();
    const predicted = m.predict(test.x);
    expect(predicted.dtype).toBe('int32');
    expect(m.accuracy(test.x, test.y)).toBeGreaterThanOrEqual(0.95);
    expect(m.card.results!.testAccuracy).toBe(m.accuracy(test.x, test.y));
    expect(m.card.dataset.samples).toBe(569);
    // Raw features of any scale are the input; a NaN or an infinity is not.
    const row = test.x.narrow(0, 0, 1).clone();
    row.narrow(1, 29, 1).fill_(Number.POSITIVE_INFINITY);
    expect(() => m.predict(row)).toThrow('logistic-regression.predict: every feature must be a finite number, but element 29 is Infinity');
  });

  it('xorMlp: 100% on XOR, where the card shows logistic regression stuck at <= 75%', async () => {
    const m = await xorMlp.load();
    const { x, y } = xorPoints();
    expect(m.predict(x).toArray()).toEqual([0, 1, 1, 0]);
    expect(m.accuracy(x, y)).toBe(1);
    expect(m.card.results!.baselines!.logisticRegressionBestAccuracy).toBeLessThanOrEqual(0.75);
  });

  it('deepMlp: >= 96% on the fixed 2,000-digit MNIST test split; the card reports zero and tiny init failing', async () => {
    const m = await deepMlp.load();
    const { test } = await deepMlp.split();
    expect(m.accuracy(test.x, test.y)).toBeGreaterThanOrEqual(0.96);
    expect(m.model.namedParameters().filter(([name]) => name.endsWith('weight'))).toHaveLength(5); // 4 hidden layers + output
    const baselines = Object.values(m.card.results!.baselines!);
    expect(baselines).toHaveLength(2);
    for (const accuracy of baselines) expect(accuracy).toBeLessThan(0.2);
  });
});

describe('lenet', () => {
  it('>= 98.8% on the fixed 2,000-digit MNIST test split (the deep MLP: 98.2%), in fewer parameters than the deep MLP', async () => {
    const [m, mlp, { test }] = await Promise.all([lenet.load(), deepMlp.load(), lenet.split()]);
    const accuracy = m.accuracy(test.x, test.y);
    expect(accuracy).toBeGreaterThanOrEqual(0.988);
    expect(accuracy).toBeGreaterThan(mlp.accuracy(test.x, test.y));
    expect(m.card.results!.testAccuracy).toBe(accuracy);
    const count = (z: ZooModel) => z.model.parameters().reduce((n, p) => n + p.size, 0);
    expect(m.card.parameters).toBe(count(m));
    expect(count(m)).toBeLessThan(count(mlp) / 3);
  });

  it('predict takes pixels [n, 784] or [n, 1, 28, 28], and says which when given neither', async () => {
    const [m, { test }] = await Promise.all([lenet.load(), lenet.split()]);
    const flat = test.x.narrow(0, 0, 50);
    expect(Array.from(m.predict(flat.reshape([50, 1, 28, 28])).values())).toEqual(Array.from(m.predict(flat).values()));
    expect(() => m.predict(flat.reshape([50, 28, 28]))).toThrow(/lenet.predict: expected pixels \[n, 784\] or \[n, 1, 28, 28\], got shape \[50, 28, 28\]/);
    expect(() => m.predict(flat.narrow(1, 0, 700))).toThrow(/expected pixels \[n, 784\]/);
    expect(() => m.predict([[0, 1]] as never)).toThrow(/lenet.predict: expected a Tensor of features, got/);
  });

  it('predict refuses values that would give classes without meaning: 0-255 pixels, standardised pixels, NaN', async () => {
    const [m, mlp, { test }] = await Promise.all([lenet.load(), deepMlp.load(), lenet.split()]);
    const flat = test.x.narrow(0, 0, 3);
    const bytes = flat.mul(255);
    const at = Array.from(bytes.values()).findIndex((v) => v > 1);
    expect(() => m.predict(bytes)).toThrow(`lenet.predict: expected pixels in [0, 1] (the model standardises them itself), but element ${at} is ${bytes.values()[at]} (if these are 0-255 pixels, scale them by 1/255)`);
    expect(() => mlp.predict(flat.sub(0.1307).div(0.3081))).toThrow(/deep-mlp.predict: expected pixels in \[0, 1\] \(the model standardises them itself\), but element 0 is -0.42/);
    const withNaN = flat.clone().reshape([-1]);
    withNaN.narrow(0, 100, 1).fill_(Number.NaN);
    expect(() => m.predict(withNaN.reshape([3, 784]))).toThrow('lenet.predict: every feature must be a finite number, but element 100 is NaN');
    expect(() => m.accuracy(flat, test.y)).toThrow(/lenet.accuracy: expected int32 labels \[3\], one per sample, got int32 \[2000\]/);
  });
});

describe('fashion-cnn', () => {
  it('>= 92% on the official 10,000 Fashion-MNIST test images; its card shows the gap with and without regularisation', async () => {
    const [m, { train, test }] = await Promise.all([fashionCnn.load(), fashionCnn.split()]);
    expect([train.y.size, test.y.size]).toEqual([60000, 10000]);
    const accuracy = m.accuracy(test.x, test.y);
    expect(accuracy).toBeGreaterThanOrEqual(0.92);
    const { trainAccuracy, testAccuracy, baselines } = m.card.results!;
    expect(testAccuracy).toBe(accuracy);
    // BatchNorm, dropout and augmentation: a narrower train-test gap than without them, at the same test accuracy
    // (within half a point: two standard errors of an accuracy near 92% on 10,000 images).
    const { unregularisedTrainAccuracy, unregularisedTestAccuracy } = baselines!;
    expect(testAccuracy).toBeGreaterThan(unregularisedTestAccuracy! - 0.005);
    expect(trainAccuracy - testAccuracy).toBeLessThan(unregularisedTrainAccuracy! - unregularisedTestAccuracy!);
    expect(m.card.dataset.classes).toHaveLength(10);
    expect(m.model.stateDict().has('1.running_mean')).toBe(true);
  });

  it('predict takes pixels [n, 784] or [n, 1, 28, 28], in batches, the same answers either way', async () => {
    const [m, { test }] = await Promise.all([fashionCnn.load(), fashionCnn.split()]);
    const flat = test.x.narrow(0, 0, 1203); // more than one of predict's batches, and a ragged last one
    const whole = Array.from(m.predict(flat).values());
    expect(Array.from(m.predict(flat.reshape([1203, 1, 28, 28])).values())).toEqual(whole);
    const one = Array.from(m.predict(flat.narrow(0, 1202, 1)).values());
    expect(one).toEqual([whole[1202]]);
    expect(() => m.predict(flat.reshape([1203, 28, 28]))).toThrow(/fashion-cnn.predict: expected pixels \[n, 784\] or \[n, 1, 28, 28\]/);
  });
});

describe('recipes are deterministic and produced the shipped weights', () => {
  for (const recipe of [xorMlp, logisticRegression]) {
    it(`${recipe.name}: train({ seed: 0 }) twice gives bit-identical weights, equal to the shipped ones`, async () => {
      const [a, b, shipped] = await Promise.all([recipe.train({ seed: 0 }), recipe.train({ seed: 0 }), recipe.load()]);
      expect(weightsOf(a.model)).toEqual(weightsOf(b.model));
      expect(weightsOf(a.model)).toEqual(weightsOf(shipped));
      const other = await recipe.train({ seed: 1 });
      expect(weightsOf(other.model)).not.toEqual(weightsOf(a.model));
    });
  }
  // The MNIST models take seconds to a minute: one run each, against the shipped weights. A kernel change that
  // rounds differently fails here until the weights are trained again with pnpm zoo:train.
  for (const recipe of [deepMlp, lenet]) {
    it(`${recipe.name}: train({ seed: 0 }) gives the shipped weights bit for bit`, async () => {
      const [trained, shipped] = await Promise.all([recipe.train({ seed: 0 }), recipe.load()]);
      expect(weightsOf(trained.model)).toEqual(weightsOf(shipped));
    });
  }
});

describe('a corrupted weights file', () => {
  it('fails with the SafetensorsError, never a wrong model', async () => {
    const bytes = Uint8Array.from(await weightsFile('xor-mlp'));
    const truncated = bytes.subarray(0, bytes.length - 3);
    const model = xorMlp.create();
    const before = weightsOf(model);
    expect(() => model.loadWeights(truncated)).toThrow(SafetensorsError);
    expect(weightsOf(model)).toEqual(before);
    const flipped = Uint8Array.from(bytes);
    flipped[12] = 0x7b; // breaks the header JSON
    expect(() => model.loadWeights(flipped)).toThrow(SafetensorsError);
    // And a valid file of another model is refused by the strict state-dict check.
    const otherModel = await weightsFile('logistic-regression');
    expect(() => model.loadWeights(otherModel)).toThrow(/missing key|unexpected key/);
    expect(loadSafetensors(bytes).metadata.card).toContain('"name":"xor-mlp"');
  });
});
