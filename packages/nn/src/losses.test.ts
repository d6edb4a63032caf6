import { tensor } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import {
  BCELoss, BCEWithLogitsLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, CrossEntropyLoss, MSELoss, mseLoss, NLLLoss, nllLoss,
} from './index';

describe('loss modules', () => {
  it('compute what the functions compute, with the options given at construction', () => {
    const p = tensor([0.2, 0.7, 0.9]);
    const t = tensor([0, 1, 1]);
    const logits = tensor([[1, 2, 0.5], [0.1, -1, 3]]);
    const labels = tensor([1, -100], { dtype: 'int32' });
    expect(new BCELoss({ reduction: 'sum' }).call(p, t).item()).toBe(binaryCrossEntropy(p, t, { reduction: 'sum' }).item());
    expect(new BCEWithLogitsLoss().call(p, t).item()).toBe(binaryCrossEntropyWithLogits(p, t).item());
    expect(new MSELoss({ reduction: 'none' }).call(p, t).toArray()).toEqual(mseLoss(p, t, { reduction: 'none' }).toArray());
    const ce = new CrossEntropyLoss({ ignoreIndex: -100 }).call(logits, labels).item();
    expect(ce).toBe(crossEntropy(logits, labels).item());
    expect(ce).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5)) - 2, 5); // the ignored row adds nothing
    const logProbs = logits.logSoftmax(1);
    const valid = tensor([2, 0], { dtype: 'int32' });
    expect(new NLLLoss({ reduction: 'sum' }).call(logProbs, valid).item()).toBe(nllLoss(logProbs, valid, { reduction: 'sum' }).item());
    expect(() => new MSELoss({ reduction: 'avg' as 'mean' }).call(p, t)).toThrow("mseLoss: unknown reduction 'avg'");
  });

  it('crossEntropy takes class weights and label smoothing as options, as torch.nn.CrossEntropyLoss', () => {
    const logits = tensor([[1, 2, 0.5], [0.1, -1, 3]]);
    const labels = tensor([1, 2], { dtype: 'int32' });
    const logProbs = logits.logSoftmax(1).toArray() as number[][];
    // Smoothing s: the target is (1 - s) one-hot + s / 3, so each row's loss is -sum(target * log p).
    const s = 0.3;
    const smoothed = [0, 1].map((i) => -logProbs[i]!.reduce((sum, lp, c) => sum + ((c === [1, 2][i] ? 1 - s : 0) + s / 3) * lp, 0));
    const perRow = new CrossEntropyLoss({ labelSmoothing: s, reduction: 'none' }).call(logits, labels).toArray() as number[];
    perRow.forEach((v, i) => expect(v).toBeCloseTo(smoothed[i]!, 5));
    // Weights: each row's loss times its label's weight, the mean divided by the weights' sum (2 + 0.5).
    const weighted = (-2 * logProbs[0]![1]! - 0.5 * logProbs[1]![2]!) / 2.5;
    expect(crossEntropy(logits, labels, { weight: tensor([1, 2, 0.5]) }).item()).toBeCloseTo(weighted, 5);
    expect(() => crossEntropy(logits, labels, { weight: tensor([1, 2]) })).toThrow('crossEntropy: the class weights must be float32 [3], one per class, got float32 [2]');
    expect(() => crossEntropy(logits, labels, { labelSmoothing: -0.1 })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got -0.1');
    expect(() => crossEntropy(logits, labels, { labelSmoothing: Number.NaN })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got NaN');
    expect(() => crossEntropy(logits, labels, { smoothing: 0.1 } as never)).toThrow("crossEntropy: unknown option 'smoothing'");
  });
});
