// The fused optimiser updates (assembly/optim.ts): each WASM kernel with its buffers and coefficients named, in
// the kernel's argument order, and its float32 reference. Callers pass records, so a swapped beta or buffer
// cannot type-check; the tests check each entry's counts against the kernel and its results against the
// reference, so an order out of step with the kernel fails.
import * as reference from './reference/optim';
import type { WasmExports } from './wasm-exports';

export type UpdateKernel = 'sgd' | 'adagrad' | 'adadelta' | 'rmsprop' | 'adam' | 'adamax' | 'nadam';

/** A fused update: the kernel that changes the parameter and the optimiser state in place, and its reference. */
export interface Update<State extends string, C extends object> {
  readonly kernel: UpdateKernel & keyof WasmExports;
  /** The buffers in the kernel's order: the parameter, its gradient, then the optimiser's state. */
  readonly buffers: readonly ('param' | 'grad' | State)[];
  /** The coefficients in the kernel's order (booleans travel as 0 or 1). */
  readonly coefficients: readonly (keyof C & string)[];
  readonly reference: (buffers: reference.Buffers<State>, coefficients: C) => void;
}

/** Any update, whatever its state and coefficients. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of updates of every type
export type AnyUpdate = Update<string, any>;

const update = <State extends string, C extends object>(u: Update<State, C>): Update<State, C> => u;

export const updates = {
  sgd: update({
    kernel: 'sgd', buffers: ['param', 'grad', 'momentumBuffer'],
    coefficients: ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize', 'first'], reference: reference.sgd,
  }),
  adagrad: update({
    kernel: 'adagrad', buffers: ['param', 'grad', 'sum'], coefficients: ['clr', 'eps', 'weightDecay', 'maximize'], reference: reference.adagrad,
  }),
  adadelta: update({
    kernel: 'adadelta', buffers: ['param', 'grad', 'squareAvg', 'accDelta'],
    coefficients: ['lr', 'rho', 'eps', 'weightDecay', 'maximize'], reference: reference.adadelta,
  }),
  rmsprop: update({
    kernel: 'rmsprop', buffers: ['param', 'grad', 'squareAvg', 'gradAvg', 'momentumBuffer'],
    coefficients: ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'], reference: reference.rmsprop,
  }),
  adam: update({
    kernel: 'adam', buffers: ['param', 'grad', 'expAvg', 'expAvgSq', 'maxExpAvgSq'],
    coefficients: ['beta1', 'beta2', 'stepSize', 'bc2Sqrt', 'eps', 'weightDecay', 'decay', 'amsgrad', 'maximize'], reference: reference.adam,
  }),
  adamax: update({
    kernel: 'adamax', buffers: ['param', 'grad', 'expAvg', 'expInf'],
    coefficients: ['beta1', 'beta2', 'eps', 'clr', 'weightDecay', 'maximize'], reference: reference.adamax,
  }),
  nadam: update({
    kernel: 'nadam', buffers: ['param', 'grad', 'expAvg', 'expAvgSq'],
    coefficients: ['beta1', 'beta2', 'bc2', 'eps', 'weightDecay', 'gradCoef', 'avgCoef'], reference: reference.nadam,
  }),
};

/** The buffer names of an update. */
export type BuffersOf<U> = U extends Update<infer State, object> ? 'param' | 'grad' | State : never;
/** The coefficients of an update. */
export type CoefficientsOf<U> = U extends Update<string, infer C> ? C : never;
