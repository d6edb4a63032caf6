// The activations, initialisers and optimisers the widgets offer, by the names that go in their URLs: one table
// each, so the playground, the initialisation explorer and the optimiser race offer the same things.
import { type Tensor } from '@backprop/autograd';
import { ELU, LeakyReLU, type Linear, type Module, PReLU, ReLU, Sigmoid, Softplus, Tanh, init } from '@backprop/nn';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, type Optimizer, RMSprop, SGD } from '@backprop/optim';

// slope: the negative-side slope He initialisation accounts for (PReLU starts at 0.25).
export const activations = {
  sigmoid: { label: 'Sigmoid', make: (): Module => new Sigmoid(), slope: 0 },
  tanh: { label: 'Tanh', make: (): Module => new Tanh(), slope: 0 },
  relu: { label: 'ReLU', make: (): Module => new ReLU(), slope: 0 },
  leakyRelu: { label: 'Leaky ReLU (0.01)', make: (): Module => new LeakyReLU(0.01), slope: 0.01 },
  prelu: { label: 'PReLU (learnable slope)', make: (): Module => new PReLU(), slope: 0.25 },
  elu: { label: 'ELU', make: (): Module => new ELU(), slope: 0 },
  softplus: { label: 'Softplus', make: (): Module => new Softplus(), slope: 0 },
} as const;
export type ActivationName = keyof typeof activations;

type Initialise = (weight: Tensor, activation: ActivationName) => void;
export const initialisers: Record<string, { label: string; apply: Initialise }> = {
  default: { label: "PyTorch's default (uniform ±1/√fan-in)", apply: () => undefined },
  zeros: { label: 'Zeros (the pitfall)', apply: (w) => init.zeros_(w) },
  small: { label: 'Small random N(0, 0.01²)', apply: (w) => init.normal_(w, { std: 0.01 }) },
  large: { label: 'Large random N(0, 1)', apply: (w) => init.normal_(w, { std: 1 }) },
  lecun: { label: "LeCun's uniform", apply: (w) => init.lecunUniform_(w) },
  // Glorot's own scheme (gain 1): right for tanh, too small for ReLU, which is the lecture's point.
  xavier: { label: 'Xavier/Glorot uniform', apply: (w) => init.xavierUniform_(w) },
  // gain sqrt(2 / (1 + slope^2)): ReLU's sqrt(2) for slope 0.
  he: { label: 'He/Kaiming normal', apply: (w, a) => init.kaimingNormal_(w, { nonlinearity: 'leakyRelu', a: activations[a].slope }) },
};
export type InitialiserName = keyof typeof initialisers;

/** Initialises a Linear layer's weight with the named scheme and zeroes its bias (except for PyTorch's default). */
export function initialiseLinear(layer: Linear, scheme: string, activation: ActivationName): void {
  const chosen = initialisers[scheme];
  if (!chosen) throw new RangeError(`unknown initialiser '${scheme}' (${Object.keys(initialisers).join(', ')})`);
  if (scheme === 'default') return;
  chosen.apply(layer.weight, activation);
  if (layer.bias) init.zeros_(layer.bias);
}

type MakeOptimizer = (params: Tensor[], lr: number) => Optimizer;
export const optimizers: Record<string, { label: string; lr: number; make: MakeOptimizer }> = {
  sgd: { label: 'SGD', lr: 0.03, make: (p, lr) => new SGD(p, { lr }) },
  momentum: { label: 'SGD + momentum 0.9', lr: 0.03, make: (p, lr) => new SGD(p, { lr, momentum: 0.9 }) },
  nesterov: { label: 'Nesterov 0.9', lr: 0.03, make: (p, lr) => new SGD(p, { lr, momentum: 0.9, nesterov: true }) },
  adagrad: { label: 'Adagrad', lr: 0.1, make: (p, lr) => new Adagrad(p, { lr }) },
  adadelta: { label: 'Adadelta', lr: 1, make: (p, lr) => new Adadelta(p, { lr }) },
  rmsprop: { label: 'RMSprop', lr: 0.01, make: (p, lr) => new RMSprop(p, { lr }) },
  adam: { label: 'Adam', lr: 0.03, make: (p, lr) => new Adam(p, { lr }) },
  adamw: { label: 'AdamW', lr: 0.03, make: (p, lr) => new AdamW(p, { lr }) },
  adamax: { label: 'Adamax', lr: 0.03, make: (p, lr) => new Adamax(p, { lr }) },
  nadam: { label: 'NAdam', lr: 0.03, make: (p, lr) => new NAdam(p, { lr }) },
};

export function makeOptimizer(name: string, params: Tensor[], lr: number): Optimizer {
  const chosen = optimizers[name];
  if (!chosen) throw new RangeError(`unknown optimiser '${name}' (${Object.keys(optimizers).join(', ')})`);
  return chosen.make(params, lr);
}
