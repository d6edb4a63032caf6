import { DTypeError } from '../errors';
import { defineOp } from '../op';
import type { Tensor } from '../tensor';
import { asFloat } from './internal/common';
import { kernelBacked, numberParameter, unaryKernel } from './internal/elementwise';
import { intPow, map } from './internal/integer';

/** x^exponent; int32 to a non-negative integer power stays int32. The gradient of x^0 is 0, x = 0 included. */
export const pow = defineOp(kernelBacked('pow'), (x: Tensor, exponent: number): Tensor => {
  numberParameter('pow', 'the exponent', exponent);
  if (x.live('pow').dtype === 'int32' && Number.isInteger(exponent)) {
    if (exponent < 0) throw new DTypeError(`pow: an int32 tensor to the negative power ${exponent} is not an integer (PyTorch refuses it too): use x.float().pow(${exponent})`);
    return map('pow', x, (v) => intPow(v, exponent));
  }
  return unaryKernel('pow', asFloat(x), exponent, { exponent });
});
