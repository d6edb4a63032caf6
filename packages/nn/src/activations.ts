import { checkOptions, full, type Tensor } from '@backprop/autograd';
import { keepsNoTensors, Module, parameter } from './module';

/** 1 / (1 + e^-x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/** tanh(x). */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** max(0, x). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** x for x > 0, negativeSlope x otherwise. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.leakyRelu(this.negativeSlope);
  }
}

/** x for x > 0, alpha (e^x - 1) otherwise. */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.elu(this.alpha);
  }
}

/** log(1 + e^x), computed stably. */
export class Softplus extends Module {
  forward(x: Tensor): Tensor {
    return x.softplus();
  }
}

/**
 * x for x > 0, a x otherwise, with a learnable slope a: one shared (numParameters = 1) or one per channel
 * (axis 1), initialised to `init` (0.25), as torch.nn.PReLU.
 */
export class PReLU extends Module {
  readonly weight: Tensor;

  constructor(options: { numParameters?: number; init?: number } = {}) {
    super();
    checkOptions('PReLU', options, { numParameters: 1, init: 0.25 });
    const { numParameters = 1, init = 0.25 } = options;
    if (!Number.isInteger(numParameters) || numParameters < 1) throw new RangeError(`PReLU: numParameters must be a positive integer, got ${JSON.stringify(numParameters)}`);
    this.weight = parameter(full([numParameters], init));
  }

  forward(x: Tensor): Tensor {
    return x.prelu(this.weight);
  }
}

keepsNoTensors(Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softplus, PReLU);
