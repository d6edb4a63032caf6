import { checkOptions, describeValue, permutation, Tensor } from '@backprop/autograd';

export interface DataLoaderOptions {
  batchSize?: number;
  /** Reshuffle every epoch (each iteration), reproducibly from `seed`. */
  shuffle?: boolean;
  seed?: number;
  /** Drop the last batch when it is smaller than batchSize (PyTorch's drop_last). */
  dropLast?: boolean;
  /** Applied to each batch's x (augmentation: @backprop/data's randomCrop, randomHorizontalFlip, ...). */
  transform?: (x: Tensor) => Tensor;
}

/**
 * Batches of [x, y] over tensors whose first axis indexes samples, like torch.utils.data.DataLoader: the one
 * batching path (fit batches with it). Each iteration is one epoch, the e-th (from 1) shuffled as
 * permutation(n, seed * 100003 + e); batches are op outputs, so a training loop frees them with its steps.
 */
export class DataLoader implements Iterable<readonly [Tensor, Tensor]> {
  readonly batchSize: number;
  private readonly shuffle: boolean;
  private readonly seed: number;
  private readonly dropLast: boolean;
  private readonly transform: ((x: Tensor) => Tensor) | undefined;
  private epoch = 0;

  constructor(readonly data: { x: Tensor; y: Tensor }, options: DataLoaderOptions = {}) {
    checkOptions('DataLoader', options, { batchSize: 32, shuffle: false, seed: 0, dropLast: false, transform: () => undefined } satisfies Record<keyof DataLoaderOptions, unknown>);
    const { batchSize = 32, shuffle = false, seed = 0, dropLast = false, transform } = options;
    if (!(data?.x instanceof Tensor) || !(data.y instanceof Tensor)) {
      throw new TypeError(`DataLoader: data must be { x, y } with two tensors, got ${describeValue(data)}`);
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isSafeInteger(seed)) throw new RangeError(`DataLoader: seed must be an integer, got ${seed}`);
    const n = data.x.shape[0];
    if (n === undefined || data.y.shape[0] !== n) {
      throw new RangeError(`DataLoader: x and y must have the same number of samples on their first axis, got [${data.x.shape.join(', ')}] and [${data.y.shape.join(', ')}]`);
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    this.transform = transform;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.data.x.shape[0]!;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<readonly [Tensor, Tensor]> {
    const n = this.data.x.shape[0]!;
    const order = this.shuffle ? permutation(n, this.seed * 100003 + ++this.epoch) : undefined;
    for (let b = 0; b < this.length; b++) {
      const start = b * this.batchSize;
      const end = Math.min(n, start + this.batchSize);
      const rows = order?.slice(start, end);
      const x = rows ? this.data.x.indexSelect(rows) : this.data.x.slice(start, end);
      yield [this.transform ? this.transform(x) : x, rows ? this.data.y.indexSelect(rows) : this.data.y.slice(start, end)];
    }
  }
}
