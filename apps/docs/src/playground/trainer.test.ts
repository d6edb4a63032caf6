import { describe, expect, it } from 'vitest';
import { makeDataset } from './datasets';
import { featureMatrix } from './features';
import { type PlaygroundConfig, PlaygroundTrainer, gridPoints } from './trainer';

const base: PlaygroundConfig = {
  dataset: 'xor', noise: 0, trainRatio: 50, features: ['x1', 'x2'], hidden: [4, 2], activation: 'tanh',
  initialiser: 'xavier', optimizer: 'adam', lr: 0.03, regularization: 'none', regRate: 0, dropout: 0, batchSize: 10, seed: 7,
};

describe('playground datasets', () => {
  it('labels each dataset by its rule, splits by the ratio, and repeats with the seed', () => {
    const { train, test } = makeDataset('xor', { n: 400, trainRatio: 0.3, seed: 3 });
    expect([train.length, test.length]).toEqual([120, 280]);
    expect([...train, ...test].every((p) => (p.x * p.y > 0 ? 1 : 0) === p.label)).toBe(true);
    const circle = makeDataset('circle', { n: 300, seed: 3 });
    expect([...circle.train, ...circle.test].every((p) => (Math.hypot(p.x, p.y) < 2.5 ? 1 : 0) === p.label)).toBe(true);
    expect(makeDataset('spiral', { seed: 5 })).toEqual(makeDataset('spiral', { seed: 5 }));
    const gaussian = makeDataset('gaussian', { n: 200, seed: 1, trainRatio: 0.5 });
    const positives = [...gaussian.train, ...gaussian.test].filter((p) => p.label === 1);
    expect(positives).toHaveLength(100);
    expect(positives.reduce((s, p) => s + p.x, 0) / 100).toBeCloseTo(2, 0);
  });

  it('rejects bad settings by name', () => {
    expect(() => makeDataset('moons' as never)).toThrow("unknown dataset 'moons'");
    expect(() => makeDataset('xor', { noise: 2 })).toThrow('noise must be in [0, 1.5], got 2');
    expect(makeDataset('xor', { noise: 1, seed: 2 }).train).not.toEqual(makeDataset('xor', { seed: 2 }).train);
    expect(() => makeDataset('xor', { trainRatio: 1 })).toThrow('trainRatio must be in (0, 1)');
  });

  it('builds feature columns', () => {
    expect(Array.from(featureMatrix([{ x: 2, y: 3 }], ['x1', 'x2Squared', 'x1x2', 'sinX1']))).toEqual(
      Array.from(Float32Array.of(2, 9, 6, Math.sin(2))),
    );
    expect(gridPoints(3)).toEqual([
      { x: -6, y: 6 }, { x: 0, y: 6 }, { x: 6, y: 6 },
      { x: -6, y: 0 }, { x: 0, y: 0 }, { x: 6, y: 0 },
      { x: -6, y: -6 }, { x: 0, y: -6 }, { x: 6, y: -6 },
    ]);
  });
});

describe('the playground trainer', () => {
  it('learns XOR with an 8-4 tanh network: test loss falls well below its start', () => {
    const trainer = new PlaygroundTrainer({ ...base, hidden: [8, 4] });
    const start = trainer.loss('test');
    trainer.trainEpochs(30);
    const snap = trainer.snapshot(10, 5);
    expect(snap.epoch).toBe(30);
    expect(snap.testLoss).toBeLessThan(0.1);
    expect(snap.testLoss).toBeLessThan(start / 3);
    // The boundary says 'label 1' in the first quadrant and 'label 0' in the second.
    expect(snap.boundary[9]).toBeGreaterThan(0.8); // top right: x = 6, y = 6
    expect(snap.boundary[0]).toBeLessThan(0.2); // top left: x = -6, y = 6
    expect(snap.neurons.map((layer) => layer.length)).toEqual([8, 4]);
    expect(snap.neurons[0]![0]).toHaveLength(25);
    trainer.dispose();
  });

  it('cannot learn XOR from x1 and x2 alone without a hidden layer, but can with x1x2', () => {
    const linear = new PlaygroundTrainer({ ...base, hidden: [] });
    const withProduct = new PlaygroundTrainer({ ...base, hidden: [], features: ['x1', 'x2', 'x1x2'] });
    linear.trainEpochs(40);
    withProduct.trainEpochs(40);
    expect(linear.loss('test')).toBeGreaterThan(0.6);
    expect(withProduct.loss('test')).toBeLessThan(0.2);
  });

  it('is stuck with zero initialisation and a symmetric network: every neuron stays the same', () => {
    const trainer = new PlaygroundTrainer({ ...base, initialiser: 'zeros', hidden: [3] });
    trainer.trainEpochs(5);
    const [a, b, c] = trainer.snapshot(5, 5).neurons[0]!;
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(Array.from(b!)).toEqual(Array.from(c!));
  });

  it('L1 and L2 shrink the weights', () => {
    const norm = (t: PlaygroundTrainer): number => t.model.layers.flatMap((l) => ('weight' in l ? Array.from((l.weight as { data(): Float32Array }).data()) : [])).reduce((s, v) => s + Math.abs(v), 0);
    const plain = new PlaygroundTrainer(base);
    const l1 = new PlaygroundTrainer({ ...base, regularization: 'l1', regRate: 0.03 });
    const l2 = new PlaygroundTrainer({ ...base, regularization: 'l2', regRate: 0.03 });
    for (const t of [plain, l1, l2]) t.trainEpochs(20);
    expect(norm(l1)).toBeLessThan(norm(plain) * 0.8);
    expect(norm(l2)).toBeLessThan(norm(plain) * 0.9);
  });

  it('dropout trains with noisy hidden layers and measures in eval mode; it and L2 narrow the gap on noisy data', () => {
    const noisy = { ...base, dataset: 'spiral' as const, noise: 40, trainRatio: 20, hidden: [8, 8, 8] };
    const plain = new PlaygroundTrainer(noisy);
    const dropped = new PlaygroundTrainer({ ...noisy, dropout: 0.3 });
    const decayed = new PlaygroundTrainer({ ...noisy, regularization: 'l2', regRate: 0.01 });
    expect(dropped.model.layers.filter((l) => l.constructor.name === 'Dropout')).toHaveLength(3);
    for (const t of [plain, dropped, decayed]) t.trainEpochs(150);
    // Evaluation is deterministic (dropout off), and the neuron maps skip the dropout layers.
    expect(dropped.loss('test')).toBe(dropped.loss('test'));
    expect(dropped.snapshot(5, 5).neurons.map((layer) => layer.length)).toEqual([8, 8, 8]);
    const gap = (t: PlaygroundTrainer): number => t.loss('test') - t.loss('train');
    expect(gap(dropped)).toBeLessThan(gap(plain) / 2);
    expect(gap(decayed)).toBeLessThan(gap(plain) / 2);
    expect(() => new PlaygroundTrainer({ ...base, dropout: 1 })).toThrow('the dropout rate must be in [0, 1), got 1');
  });

  it('trains with every activation and optimiser, and names bad settings', () => {
    for (const activation of ['sigmoid', 'relu', 'leakyRelu', 'prelu', 'elu', 'softplus'] as const) {
      const t = new PlaygroundTrainer({ ...base, activation, initialiser: 'he', dataset: 'gaussian' });
      t.trainEpochs(5);
      expect(t.loss('test'), activation).toBeLessThan(0.3);
    }
    for (const optimizer of ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adamw', 'adamax', 'nadam']) {
      const t = new PlaygroundTrainer({ ...base, optimizer, dataset: 'gaussian', lr: optimizer === 'adadelta' ? 1 : 0.03 });
      const start = t.loss('train');
      t.trainEpochs(5);
      expect(t.loss('train'), optimizer).toBeLessThan(start);
    }
    expect(() => new PlaygroundTrainer({ ...base, features: [] })).toThrow('choose at least one input feature');
    expect(() => new PlaygroundTrainer({ ...base, optimizer: 'lbfgs' })).toThrow("unknown optimiser 'lbfgs'");
    expect(() => new PlaygroundTrainer({ ...base, initialiser: 'magic' })).toThrow("unknown initialiser 'magic'");
    expect(() => new PlaygroundTrainer({ ...base, lr: 0 })).toThrow('the learning rate must be a positive number, got 0');
    const diverging = new PlaygroundTrainer({ ...base, optimizer: 'sgd', lr: 1e30, activation: 'relu', initialiser: 'large' });
    expect(() => { diverging.trainEpochs(5); }).toThrow(/diverged at epoch/);
  });
});
