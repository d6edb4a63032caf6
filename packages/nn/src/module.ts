import { checkOptions, describeValue, noGrad, ShapeError, Tensor } from '@backprop/autograd';

const parameters = new WeakSet<Tensor>();
const buffers = new WeakSet<Tensor>();

/** Marks a tensor as a learnable parameter: a leaf that requires grad, owned by its module. */
export function parameter(t: Tensor): Tensor {
  t.keep();
  t.requiresGrad = true;
  parameters.add(t);
  return t;
}

export function isParameter(value: unknown): value is Tensor {
  return value instanceof Tensor && parameters.has(value);
}

/** Marks a tensor as a buffer: state that is saved and loaded with the module but not learned (PyTorch's register_buffer). */
export function buffer(t: Tensor): Tensor {
  t.keep();
  buffers.add(t);
  return t;
}

export function isBuffer(value: unknown): value is Tensor {
  return value instanceof Tensor && buffers.has(value);
}

/** The forward methods of library layers, which keep no reference to their input or output. */
const tensorFreeForwards = new WeakSet<Module['forward']>();

/** @internal Registers layer classes whose forward keeps no tensor (a subclass that overrides forward is not one). */
export function keepsNoTensors(...layers: { prototype: Module }[]): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the method is an identity here, never called
  for (const layer of layers) tensorFreeForwards.add(layer.prototype.forward);
}

export type StateDict = Map<string, Tensor>;

/** Named tensors copied into storage of their own, outside the graph (a snapshot that later steps do not change). */
export function copiesOf(entries: Iterable<readonly [string, Tensor]>): StateDict {
  return noGrad(() => new Map([...entries].map(([name, t]) => [name, t.detach().clone()])));
}

export interface LoadStateDictOptions {
  /** Require exactly the module's keys (default true); otherwise load what matches and report the rest. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * The base of every layer, as torch.nn.Module: parameters and child modules are found in the instance's
 * fields in declaration order, so names come out as PyTorch's ('weight', '0.bias', 'layers.2.weight').
 */
export abstract class Module {
  training = true;

  abstract forward(x: Tensor): Tensor;

  /**
   * Whether forward() keeps no reference to its input or output (true of the library's layers): a container
   * may then free the intermediate results between such layers as soon as backward no longer needs them.
   */
  holdsNoTensors(): boolean {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the method is an identity here, never called
    return tensorFreeForwards.has(this.forward);
  }

  /** Child modules by name: every Module-valued field (Sequential overrides this with '0', '1', ...). */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((entry): entry is [string, Module] => entry[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** Parameters then buffers, module by module, depth first in declaration order (PyTorch's state-dict order). */
  private namedState(prefix = ''): [string, Tensor][] {
    const own = Object.entries(this)
      .filter((entry): entry is [string, Tensor] => isParameter(entry[1]) || isBuffer(entry[1]))
      .sort(([, a], [, b]) => Number(isBuffer(a)) - Number(isBuffer(b)))
      .map(([name, t]): [string, Tensor] => [`${prefix}${name}`, t]);
    return [...own, ...this.namedChildren().flatMap(([name, child]) => child.namedState(`${prefix}${name}.`))];
  }

  /** Every parameter with its dotted path ('0.weight'). */
  namedParameters(prefix = ''): [string, Tensor][] {
    return this.namedState(prefix).filter(([, t]) => isParameter(t));
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted path. */
  namedBuffers(prefix = ''): [string, Tensor][] {
    return this.namedState(prefix).filter(([, t]) => isBuffer(t));
  }

  /** Training mode (dropout active); returns this. */
  train(mode = true): this {
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Evaluation mode (dropout off); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Sets every parameter's gradient to null. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Parameters and buffers by PyTorch key name ('0.weight'), as tensors sharing their data. */
  stateDict(): StateDict {
    return new Map(this.namedState().map(([name, p]) => [name, p.detach()]));
  }

  /**
   * Copies values from a state dict (a Map or a record of name -> Tensor) into the parameters and buffers. Strict (the
   * default) requires exactly this module's keys and throws naming every missing, unexpected or mis-shaped
   * key before changing anything.
   */
  loadStateDict(dict: StateDict | Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    if (dict === null || typeof dict !== 'object') throw new TypeError(`loadStateDict: the state dict must be a Map or an object of name -> Tensor, got ${describeValue(dict)}`);
    checkOptions('loadStateDict', options, { strict: true });
    const entries = dict instanceof Map ? dict : new Map(Object.entries(dict));
    const notTensors = [...entries].filter(([, t]) => !(t instanceof Tensor));
    if (notTensors.length > 0) {
      throw new TypeError(`loadStateDict: every value must be a Tensor: ${notTensors.map(([k, v]) => `'${k}' is ${describeValue(v)}`).join('; ')} (make them tensors with tensor(...))`);
    }
    const { strict = true } = options;
    const own = new Map(this.namedState());
    const missingKeys = [...own.keys()].filter((k) => !entries.has(k));
    const unexpectedKeys = [...entries.keys()].filter((k) => !own.has(k));
    const misShaped = [...own].filter(([k, p]) => {
      const t = entries.get(k);
      return t !== undefined && (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i]));
    });
    const wrongType = [...own].filter(([k, p]) => entries.get(k) !== undefined && entries.get(k)!.dtype !== p.dtype);
    const problems = [
      ...wrongType.map(([k, p]) => `'${k}' is ${entries.get(k)!.dtype} in the dict but ${p.dtype} in the model`),
      ...misShaped.map(([k, p]) => `'${k}' has shape [${entries.get(k)!.shape.join(', ')}] in the dict but [${p.shape.join(', ')}] in the model`),
      ...(strict ? missingKeys.map((k) => `missing key '${k}'`) : []),
      ...(strict ? unexpectedKeys.map((k) => `unexpected key '${k}'`) : []),
    ];
    if (problems.length > 0) throw new ShapeError(`loadStateDict: ${problems.join('; ')}`);
    noGrad(() => {
      for (const [k, p] of own) {
        const t = entries.get(k);
        if (t) p.copy_(t);
      }
    });
    return { missingKeys, unexpectedKeys };
  }
}
