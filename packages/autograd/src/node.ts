// The tape's records. An op that needs gradients leaves a Node on its output (PyTorch's grad_fn): how to turn
// the output's gradient into its inputs' gradients, and an edge to each input's own node as it was when the op
// ran, so an input changed in place later (which gets a new node) does not reroute this op's gradient. A leaf
// that requires grad has an accumulator node that adds into its .grad.
import { formatShape } from './shape';
import type { Tensor } from './tensor';

import type { Storage } from './backend';

export type BackwardFn = (dy: Tensor) => (Tensor | null)[];

export interface NodeOptions {
  /**
   * The tensors backward reads (PyTorch's SavedVariables): before it runs they must still be live and
   * unchanged since the op; a backward() lets go of them.
   */
  saved?: readonly Tensor[];
  /** Whether backward also reads numbers the op saved (PyTorch's wrapped scalars): released like tensors. */
  savesNumbers?: boolean;
  /** For a view: the tensor it views, whose later in-place changes the view's gradient cannot follow. */
  viewOf?: Tensor;
  params?: Readonly<Record<string, unknown>>;
}

/** A storage's version when an op used it (with the tensor's shape, for the message). */
interface VersionCheck {
  storage: Storage;
  version: number;
  shape: readonly number[];
}

const NONE: readonly never[] = [];

export class Node {
  /** Whether a backward() released what this op saved (a second backward through it throws). */
  released = false;
  /** Whether backward reads saved values, which a backward() releases. */
  readonly saves: boolean;
  readonly params?: Readonly<Record<string, unknown>>;
  private saved: readonly Tensor[];
  private checks: readonly VersionCheck[];

  constructor(
    readonly op: string,
    /** The op's tensor inputs, for drawing the graph; emptied once a backward() has run through it. */
    public inputs: readonly Tensor[],
    /** Where each input's gradient goes: that input's node when the op ran (null: no gradient needed). */
    public next: readonly (Node | null)[],
    /** The inputs' gradients from the output's (null for an accumulator, or once released). */
    public backward: BackwardFn | null,
    { saved = NONE, savesNumbers = false, viewOf, params }: NodeOptions = {},
    /** For an accumulator: the leaf whose .grad receives the gradient. */
    readonly leaf: Tensor | null = null,
  ) {
    this.saved = saved;
    this.saves = saved.length > 0 || savesNumbers;
    if (params) this.params = params;
    const watched = viewOf ? [...saved, viewOf] : saved;
    this.checks = watched.length === 0 ? NONE : watched.map((t) => ({ storage: t.storage, version: t.storage.version, shape: t.shape }));
    for (const t of inputs) t.graphRefs++;
    for (const t of saved) t.graphRefs++;
  }

  static accumulator(leaf: Tensor): Node {
    return new Node('input', [], [], null, {}, leaf);
  }

  /** Throws if a tensor this op relies on was released (disposed, say), or changed in place after the op used it. */
  checkSaved(): void {
    for (const t of this.saved) t.live(`backward() through '${this.op}'`);
    for (const { storage, version, shape } of this.checks) {
      if (storage.version !== version) {
        throw new Error(
          `backward(): a ${formatShape(shape)} tensor that '${this.op}' needs for its gradient was changed in place after '${this.op}' used it ` +
            `(it is at version ${storage.version}; '${this.op}' used version ${version}). Change it after backward(), or give '${this.op}' a copy (t.clone())`,
        );
      }
    }
  }

  /** After a backward() without retainGraph: drop what the op saved; ops that saved nothing can run again. */
  release(): void {
    for (const t of this.inputs) t.unreference();
    this.inputs = [];
    if (!this.saves) return;
    for (const t of this.saved) t.unreference();
    this.released = true;
    this.backward = null;
    this.next = [];
    this.saved = [];
    this.checks = [];
  }
}
