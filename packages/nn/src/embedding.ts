import { embedding, randn, type Tensor } from '@backprop/autograd';
import { keepsNoTensors, Module, parameter } from './module';

/**
 * A lookup table of numEmbeddings vectors of embeddingDim: forward(int32 indices of any shape) gives
 * [...shape, embeddingDim]. The weight [numEmbeddings, embeddingDim] starts N(0, 1), as PyTorch's.
 */
export class Embedding extends Module {
  readonly weight: Tensor;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number) {
    super();
    for (const [name, v] of [['numEmbeddings', numEmbeddings], ['embeddingDim', embeddingDim]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Embedding: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    this.weight = parameter(randn([numEmbeddings, embeddingDim]));
  }

  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight);
  }
}

keepsNoTensors(Embedding);
