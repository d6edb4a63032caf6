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
});
