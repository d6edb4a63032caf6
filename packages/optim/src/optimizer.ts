import { checkOptions, describeValue, noGrad, tensor, Tensor, zeros } from '@backprop/autograd';

/** Per-parameter state: buffers (tensors shaped like the parameter) and counters. */
export type ParamState = Record<string, Tensor | number>;

/** A parameter group: its parameters and its own copy of every option. */
export type ParamGroup<O> = O & { params: Tensor[] };

/** A group as passed to the constructor: parameters plus any options that differ from the defaults. */
export type ParamGroupSpec<O> = Partial<O> & { params: Iterable<Tensor> };

/**
 * PyTorch's state_dict layout in camelCase: state keyed by parameter index (in group order), groups holding
 * their options and parameter indices. Plain JSON: buffers as number arrays (float32 values round-trip
 * exactly through JSON), so a run resumes bit for bit.
 */
export interface OptimizerStateDict {
  state: Record<number, Record<string, number | number[]>>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/** `value` as an iterable, or a TypeError that names what it is (a model passed for its parameters, say). */
function iterableOf<T>(owner: string, value: Iterable<T>, what: string): Iterable<T> {
  if (value !== null && typeof value === 'object' && typeof (value as Partial<Iterable<T>>)[Symbol.iterator] === 'function') return value;
  const isModel = value !== null && typeof value === 'object' && typeof (value as { parameters?: unknown }).parameters === 'function';
  throw new TypeError(`${owner}: ${what} must be an iterable of parameters, got ${describeValue(value)}${isModel ? ': pass model.parameters()' : ''}`);
}

/**
 * The base of every optimiser: parameter groups with defaults, state created on a parameter's first step,
 * zeroGrad, step, and state dicts. Subclasses define only the update of one parameter.
 */
export abstract class Optimizer<O extends { lr: number } = { lr: number }> {
  readonly paramGroups: ParamGroup<O>[] = [];
  protected readonly state = new Map<Tensor, ParamState>();

  readonly defaults: O;

  constructor(
    readonly name: string,
    params: Iterable<Tensor> | Iterable<ParamGroupSpec<O>>,
    defaults: O,
    options: Partial<O>,
  ) {
    checkOptions(name, options, defaults);
    this.defaults = { ...defaults, ...options };
    const list = [...iterableOf<Tensor | ParamGroupSpec<O>>(name, params, 'params')];
    if (list.length === 0) throw new RangeError(`${name}: got an empty parameter list`);
    const specs: ParamGroupSpec<O>[] = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupSpec<O>] : (list as ParamGroupSpec<O>[]);
    const seen = new Set<Tensor>();
    specs.forEach((spec, i) => {
      if (spec === null || typeof spec !== 'object' || !('params' in spec)) {
        throw new TypeError(`${name}: parameter group ${i} must be a Tensor or { params, ...options }, got ${describeValue(spec)}`);
      }
      const { params: groupParams, ...overrides } = spec;
      checkOptions(name, overrides, this.defaults);
      const group = { ...this.defaults, ...overrides, params: [...iterableOf(name, groupParams, `group ${i}'s params`)] } as ParamGroup<O>;
      for (const p of group.params) {
        if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameters must be Tensors, got ${describeValue(p)}`);
        if (!p.requiresGrad) throw new TypeError(`${name}: a parameter of shape [${p.shape.join(', ')}] does not require grad`);
        if (p.node) {
          throw new TypeError(`${name}: a parameter of shape [${p.shape.join(', ')}] is not a leaf (an op computed it, so backward never fills its grad): pass the tensor it was computed from`);
        }
        if (seen.has(p)) throw new Error(`${name}: a parameter appears in more than one group`);
        seen.add(p);
      }
      this.validate(group);
      this.paramGroups.push(group);
    });
  }

  /** Throws, naming the option, if a group's options are invalid. */
  protected abstract validate(options: O): void;

  /** Updates one parameter from its gradient; `state` persists across steps (empty on the first). */
  protected abstract update(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<O>): void;

  /** Sets every parameter's gradient to null (PyTorch's default set_to_none). */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.zeroGrad();
  }

  /** One update of every parameter that has a gradient (parameters without one are skipped). */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          let state = this.state.get(p);
          if (!state) this.state.set(p, (state = {}));
          this.update(p, p.grad, state, group);
        }
      }
    });
  }

  /** The learning rate of the first group (what schedulers and logs usually mean by "the" lr). */
  get lr(): number {
    return this.paramGroups[0]!.lr;
  }

  /** Sets the learning rate of every group. */
  set lr(value: number) {
    for (const group of this.paramGroups) {
      const next = { ...group, lr: value };
      this.validate(next);
      group.lr = value;
    }
  }

  /** A zero buffer shaped like `param`, kept across steps (and past any scope() the step runs in). */
  protected buffer(param: Tensor, value = 0): Tensor {
    const t = zeros(param.shape).keep();
    if (value !== 0) noGrad(() => t.fill_(value));
    return t;
  }

  private orderedParams(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  stateDict(): OptimizerStateDict {
    const params = this.orderedParams();
    const state: OptimizerStateDict['state'] = {};
    params.forEach((p, index) => {
      const s = this.state.get(p);
      if (!s) return;
      state[index] = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? Array.from(v.values()) : v]));
    });
    let next = 0;
    const paramGroups = this.paramGroups.map(({ params: groupParams, ...options }) => ({
      ...JSON.parse(JSON.stringify(options)) as Record<string, unknown>,
      params: groupParams.map(() => next++),
    }));
    return { state, paramGroups };
  }

  /** Restores options and state saved by stateDict() into an optimiser over the same parameter layout. */
  loadStateDict(dict: OptimizerStateDict): void {
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new RangeError(`${this.name}.loadStateDict: the dict has ${dict.paramGroups.length} parameter groups, this optimiser ${this.paramGroups.length}`);
    }
    dict.paramGroups.forEach((saved, i) => {
      if (saved.params.length !== this.paramGroups[i]!.params.length) {
        throw new RangeError(`${this.name}.loadStateDict: group ${i} has ${saved.params.length} parameters in the dict, ${this.paramGroups[i]!.params.length} here`);
      }
    });
    const params = this.orderedParams();
    for (const [index, saved] of Object.entries(dict.state)) {
      const p = params[Number(index)];
      if (!p) throw new RangeError(`${this.name}.loadStateDict: state for parameter ${index}, which does not exist`);
      const entries = Object.entries(saved).map(([k, v]): [string, Tensor | number] => {
        if (typeof v === 'number') return [k, v];
        if (v.length !== p.size) throw new RangeError(`${this.name}.loadStateDict: '${k}' of parameter ${index} has ${v.length} values, the parameter ${p.size}`);
        return [k, tensor(v, { shape: p.shape }).keep()];
      });
      this.disposeState(p);
      this.state.set(p, Object.fromEntries(entries));
    }
    dict.paramGroups.forEach(({ params: _indices, ...options }, i) => {
      const group = this.paramGroups[i]!;
      checkOptions(this.name, options, this.defaults);
      Object.assign(group, options);
      this.validate(group);
    });
  }

  private disposeState(p: Tensor): void {
    for (const v of Object.values(this.state.get(p) ?? {})) if (v instanceof Tensor) v.dispose();
  }
}
