import { clipGradNorm, clipGradValue } from '@backprop/autograd';
import type { Callback, FitState } from './callback';

/** fit's clipGradNorm and clipGradValue options: the model's gradients clipped before every step. */
export function gradientClipping({ maxNorm, maxValue }: { maxNorm: number | undefined; maxValue: number | undefined }): Callback {
  return {
    onBeforeOptimizerStep(_logs, { model }: FitState): void {
      if (maxValue !== undefined) clipGradValue(model.parameters(), maxValue);
      if (maxNorm !== undefined) clipGradNorm(model.parameters(), maxNorm);
    },
  };
}
