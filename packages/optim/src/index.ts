// @backprop/optim: PyTorch's optimisers, schedules and clipping, updating through fused kernels.
export { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamState, type OptimizerStateDict } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adagrad, type AdagradOptions } from './adagrad';
export { Adadelta, type AdadeltaOptions } from './adadelta';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export { Adam, AdamW, type AdamOptions } from './adam';
export { Adamax, type AdamaxOptions } from './adamax';
export { NAdam, type NAdamOptions } from './nadam';
export { LRScheduler, type SchedulerStateDict } from './schedulers/lr-scheduler';
export { StepLR, type StepLROptions } from './schedulers/step-lr';
export { MultiStepLR, type MultiStepLROptions } from './schedulers/multi-step-lr';
export { ExponentialLR } from './schedulers/exponential-lr';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedulers/cosine-annealing-lr';
export { LinearLR, type LinearLROptions } from './schedulers/linear-lr';
export { SequentialLR } from './schedulers/sequential-lr';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/reduce-lr-on-plateau';
// Defined in @backprop/autograd, where fit (in @backprop/nn) finds them too; imported from here as in PyTorch's examples.
export { clipGradNorm, clipGradValue } from '@backprop/autograd';
