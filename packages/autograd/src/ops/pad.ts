import { defineOp } from '../op';
import { ShapeError } from '../errors';
import { checkOptions } from '../options';
import { formatShape } from '../shape';
import { allocate, backendOf, record, type Tensor } from '../tensor';
import { at } from './internal/common';
import { copyLayout } from './internal/copy';

/**
 * x padded with a constant (PyTorch's F.pad, constant mode): pads = [left, right] for the last axis, then [top,
 * bottom] for the one before, and so on; a negative pad crops. Backward takes the gradient of the part of x kept.
 */
export const pad = defineOp({ name: 'pad', gradient: 'recorded', kernels: [] }, (x: Tensor, pads: readonly number[], options: { value?: number } = {}): Tensor => {
  const backend = backendOf('pad', [x]);
  checkOptions('pad', options, { value: 0 });
  const { value = 0 } = options;
  if (typeof pads !== 'object' || pads === null || pads.length % 2 !== 0 || pads.length > 2 * x.rank || pads.some((p: number) => !Number.isInteger(p))) {
    throw new ShapeError(`pad: pads must be pairs of integers, at most one pair per axis of a ${formatShape(x.shape)} tensor, got ${JSON.stringify(pads)}`);
  }
  // Pairs apply from the last axis backwards.
  const [before, after] = [x.shape.map(() => 0), x.shape.map(() => 0)];
  for (let i = 0; i < pads.length / 2; i++) [before[x.rank - 1 - i], after[x.rank - 1 - i]] = [pads[2 * i]!, pads[2 * i + 1]!];
  const shape = x.shape.map((d, i) => d + before[i]! + after[i]!);
  if (shape.some((d) => d < 0)) throw new ShapeError(`pad: pads ${JSON.stringify(pads)} crop a ${formatShape(x.shape)} tensor to a negative size`);
  // The part of x that survives cropping, and where it starts in x and in the result.
  const kept = x.shape.map((d, i) => Math.max(0, d - Math.max(0, -before[i]!) - Math.max(0, -after[i]!)));
  const from = before.map((b) => Math.max(0, -b));
  const to = before.map((b) => Math.max(0, b));
  const out = allocate(backend, shape, x.dtype);
  backend.fill(out, out.size, value);
  const offset = (starts: number[], strides: readonly number[]): number => starts.reduce((sum, s, i) => sum + s * strides[i]!, 0);
  copyLayout(backend, kept, at(x, offset(from, x.strides)), x.strides, at(out, offset(to, out.strides)), out.strides);
  const inputShape = x.shape;
  return record(out, 'pad', [x], (dy) => {
    const dx = allocate(backend, inputShape, 'float32');
    backend.fill(dx, dx.size, 0);
    copyLayout(backend, kept, at(dy, offset(to, dy.strides)), dy.strides, at(dx, offset(from, dx.strides)), dx.strides);
    return [dx];
  }, { params: { pads: [...pads], value } });
});
