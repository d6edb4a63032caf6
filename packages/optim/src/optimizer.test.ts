import { manualSeed, noGrad, randn, scope, tensor, zeros, type Tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { Adam, CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, NAdam, RMSprop, SequentialLR, SGD, StepLR, type Optimizer } from './index';

function problem(seed: number): { params: Tensor[]; loss: () => Tensor } {
  manualSeed(seed);
  const w = randn([3, 4], { requiresGrad: true });
  const b = zeros([3], { requiresGrad: true });
  const x = randn([5, 4]);
  const y = randn([5, 3]);
  return { params: [w, b], loss: () => x.matmul(w.transpose()).add(b).tanh().sub(y).square().mean() };
}

function train(opt: Optimizer, loss: () => Tensor, steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
}

describe('state dicts', () => {
  for (const [name, make] of [
    ['Adam (amsgrad)', (p: Tensor[]) => new Adam(p, { lr: 0.05, amsgrad: true, weightDecay: 0.01 })],
    ['SGD (Nesterov)', (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
    ['RMSprop (centered, momentum)', (p: Tensor[]) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5 })],
    ['NAdam', (p: Tensor[]) => new NAdam(p, { lr: 0.05 })],
  ] as const) {
    it(`${name}: saved mid-training and loaded into a fresh optimiser, the run continues bit for bit`, () => {
      const straight = problem(7);
      const optA = make(straight.params);
      train(optA, straight.loss, 20);
      const resumed = problem(7);
      const optB = make(resumed.params);
      train(optB, resumed.loss, 10);
      const saved = JSON.parse(JSON.stringify(optB.stateDict())) as ReturnType<Optimizer['stateDict']>;
      const weights = resumed.params.map((p) => Array.from(p.values()));
      // A fresh model and optimiser, restored from the JSON round trip.
      const fresh = problem(7);
      noGrad(() => fresh.params.forEach((p, i) => p.copy_(tensor(weights[i]!, { shape: p.shape }))));
      const optC = make(fresh.params);
      optC.loadStateDict(saved);
      train(optC, fresh.loss, 10);
      fresh.params.forEach((p, i) => expect(Array.from(p.values())).toEqual(Array.from(straight.params[i]!.values())));
    });
  }

  it('rejects a dict for another parameter layout', () => {
    const { params } = problem(1);
    const opt = new Adam(params);
    const other = new Adam([params[0]!]);
    expect(() => opt.loadStateDict(other.stateDict())).toThrow(/group 0 has 1 parameters in the dict, 2 here/);
  });
});

describe('options are checked and errors name them', () => {
  const p = [tensor([1], { requiresGrad: true })];
  it('invalid values', () => {
    expect(() => new SGD(p, { lr: -1 })).toThrow('SGD: invalid lr -1 (must be >= 0)');
    expect(() => new SGD(p, { nesterov: true })).toThrow('SGD: nesterov momentum requires a momentum > 0 and zero dampening');
    expect(() => new Adam(p, { betas: [0.9, 1] })).toThrow('Adam: invalid betas[1] 1 (must be in [0, 1))');
    expect(() => new Adam(p, { eps: Number.NaN })).toThrow(/Adam: invalid eps NaN/);
    expect(() => new StepLR(new SGD(p), { stepSize: 0 })).toThrow(/StepLR: invalid stepSize 0/);
  });

  it('schedules without the option PyTorch requires: an error, not a made-up default', () => {
    const opt = new SGD(p, { lr: 0.1 });
    expect(() => new StepLR(opt, { gamma: 0.5 } as never)).toThrow('StepLR: stepSize is required');
    expect(() => new MultiStepLR(opt, {} as never)).toThrow('MultiStepLR: milestones is required');
    expect(() => new CosineAnnealingLR(opt, undefined as never)).toThrow('CosineAnnealingLR: tMax is required');
    expect(() => new ExponentialLR(opt, {} as never)).toThrow('ExponentialLR: gamma is required');
    expect(() => new SequentialLR(opt, { schedulers: [], milestones: [], warmup: 1 } as never)).toThrow(/SequentialLR: unknown option 'warmup'/);
    expect(opt.lr).toBe(0.1);
  });

  it('unknown options and bad parameters', () => {
    expect(() => new SGD(p, { momentun: 0.9 } as never)).toThrow(/SGD: unknown option 'momentun' \(options: lr, momentum/);
    expect(() => new SGD([])).toThrow('SGD: got an empty parameter list');
    expect(() => new SGD([tensor([1])])).toThrow(/does not require grad/);
    // A tensor computed from a parameter never receives a grad: optimising it would silently do nothing.
    expect(() => new SGD([p[0]!.mul(2)])).toThrow('SGD: a parameter of shape [1] is not a leaf (an op computed it, so backward never fills its grad): pass the tensor it was computed from');
    expect(() => (new SGD(p).lr = -0.5)).toThrow(/invalid lr -0.5/);
    // Values of the wrong type name themselves, and a model passed for its parameters says what to pass.
    expect(() => new Adam(p, { lr: '0.1' } as never)).toThrow("Adam: lr must be a number, got the string '0.1'");
    expect(() => new Adam(p, { amsgrad: 'yes' } as never)).toThrow("Adam: amsgrad must be a boolean, got the string 'yes'");
    expect(() => new Adam(p, { betas: 0.9 } as never)).toThrow('Adam: betas must be an array, got a number');
    expect(() => (new Adam(p).lr = '0.1' as never)).toThrow("Adam: lr must be a number, got the string '0.1'");
    const model = { parameters: () => p };
    expect(() => new Adam(model as never)).toThrow('Adam: params must be an iterable of parameters, got an object (Object): pass model.parameters()');
    expect(() => new Adam([{ lr: 1 }] as never)).toThrow('Adam: parameter group 0 must be a Tensor or { params, ...options }, got an object (Object)');
    expect(() => new StepLR(model as never, { stepSize: 1 })).toThrow('StepLR: the first argument must be an optimiser (new Adam(...), say), got an object (Object)');
  });
});

describe('optimiser behaviour', () => {
  it('skips parameters whose gradient is null, and honours per-group options', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    a.mul(2).sum().backward(); // only a gets a gradient
    opt.step();
    expect(a.item()).toBeCloseTo(0.8, 6);
    expect(b.item()).toBe(1);
    b.mul(2).sum().backward();
    opt.step();
    expect(b.item()).toBeCloseTo(0, 6);
  });

  it('keeps its state when steps run inside scope(), as a training loop that frees each batch does', () => {
    const scoped = problem(3);
    const plain = problem(3);
    const inScope = new Adam(scoped.params, { lr: 0.01 });
    const outside = new Adam(plain.params, { lr: 0.01 });
    for (let i = 0; i < 3; i++) scope(() => train(inScope, scoped.loss, 1));
    train(outside, plain.loss, 3);
    expect(Array.from(scoped.params[0]!.data())).toEqual(Array.from(plain.params[0]!.data()));
    const restored = new Adam(problem(3).params, { lr: 0.01 });
    scope(() => restored.loadStateDict(inScope.stateDict()));
    expect(restored.stateDict()).toEqual(inScope.stateDict());
  });

  it('SequentialLR warms up linearly then decays stepwise', () => {
    const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
    const warmup = new LinearLR(opt, { startFactor: 0.25, endFactor: 1, totalIters: 3 });
    const decay = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const schedule = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [3] });
    const lrs: number[] = [];
    for (let i = 0; i < 8; i++) {
      lrs.push(opt.lr);
      schedule.step();
    }
    expect(lrs).toEqual([0.25, 0.5, 0.75, 1, 1, 0.5, 0.5, 0.25]);
  });
});
