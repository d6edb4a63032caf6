import { tensor, type Tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import optimizers from './__fixtures__/optimizers.json';
import schedulers from './__fixtures__/schedulers.json';
import {
  Adadelta, Adagrad, Adam, Adamax, AdamW, CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, NAdam, ReduceLROnPlateau, RMSprop, SGD, StepLR,
  type Optimizer,
} from './index';

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/^[A-Z]/, (c) => c.toLowerCase());
const camelConfig = (config: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(config).map(([k, v]) => [camel(k), v]));

const classes: Record<string, new (params: Tensor[], options: Record<string, unknown>) => Optimizer> = {
  SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax, NAdam,
};

interface OptimizerCase { optimizer: string; config: Record<string, unknown>; p0: number[]; a: number[]; c: number[]; steps: number; params: number[][]; loss: number[] }

describe('optimizers.json: 25-step trajectories match PyTorch', () => {
  (optimizers.cases as OptimizerCase[]).forEach((c) => {
    it(`${c.optimizer} ${JSON.stringify(c.config)}`, () => {
      const p = tensor(c.p0, { requiresGrad: true });
      const a = tensor(c.a);
      const target = tensor(c.c);
      const opt = new classes[c.optimizer]!([p], camelConfig(c.config));
      for (let k = 0; k < c.steps; k++) {
        opt.zeroGrad();
        const loss = a.mul(p.sub(target).square()).sum().add(p.pow(4).sum().mul(0.1));
        expect(Math.abs(loss.item() - c.loss[k]!)).toBeLessThanOrEqual(1e-4 + 1e-3 * Math.abs(c.loss[k]!));
        loss.backward();
        opt.step();
        const got = Array.from(p.values());
        got.forEach((v, i) => {
          const want = c.params[k]![i]!;
          if (!(Math.abs(v - want) <= 1e-4 + 1e-3 * Math.abs(want))) expect.fail(`step ${k + 1}, element ${i}: ${v}, want ${want}`);
        });
      }
    });
  });
});

interface SchedulerCase { scheduler: string; baseLr: number; config: Record<string, unknown>; lr: number[]; metrics?: number[] }

describe('schedulers.json: the learning rate at every step matches PyTorch', () => {
  (schedulers.cases as SchedulerCase[]).forEach((c) => {
    it(`${c.scheduler} ${JSON.stringify(c.config)}`, () => {
      const opt = new SGD([tensor([0], { requiresGrad: true })], { lr: c.baseLr });
      const config = camelConfig(c.config);
      const make = {
        StepLR: () => new StepLR(opt, config as never),
        MultiStepLR: () => new MultiStepLR(opt, config as never),
        ExponentialLR: () => new ExponentialLR(opt, config as never),
        CosineAnnealingLR: () => new CosineAnnealingLR(opt, config as never),
        LinearLR: () => new LinearLR(opt, config),
        ReduceLROnPlateau: () => new ReduceLROnPlateau(opt, config),
      }[c.scheduler]!;
      const scheduler = make();
      c.lr.forEach((want, k) => {
        expect(Math.abs(opt.lr - want), `step ${k}: lr ${opt.lr}, want ${want}`).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(want));
        if (scheduler instanceof ReduceLROnPlateau) scheduler.step(c.metrics![k]!);
        else scheduler.step();
      });
    });
  });
});
