// The tape's records. An op that needs gradients leaves a Node on its output (PyTorch's grad_fn): how to turn
// the output's gradient into its inputs' gradients, and an edge to each input's own node as it was when the op
// ran, so an input changed in place later (which gets a new node) does not reroute this op's gradient. A leaf
// that requires grad has an accumulator node that adds into its .grad.
import { formatShape } from './shape';
import type { Tensor } from './tensor';

export type BackwardFn = (dy: Tensor) => (Tensor | null)[];

const NO_VERSIONS: number[] = [];

export class Node {
  /** Whether a backward() released what this op saved (a second backward through it throws). */
  released = false;
  /** The version of each watched tensor's storage when the op ran. */
  private readonly versions: number[];

  constructor(
    readonly op: string,
    /** The op's tensor inputs, for drawing the graph; emptied once a backward() has run through it. */
    public inputs: readonly Tensor[],
    /** Where each input's gradient goes: that input's node when the op ran (null: no gradient needed). */
    public next: readonly (Node | null)[],
    /** The inputs' gradients from the output's (null for an accumulator, or once released). */
    public backward: BackwardFn | null,
    /** Tensors whose values backward relies on: changed in place since, they make backward throw. */
    private watched: readonly Tensor[],
    /** Whether backward reads saved values, which a backward() releases (PyTorch's SavedVariables). */
    readonly saves: boolean,
    readonly params?: Readonly<Record<string, unknown>>,
    /** For an accumulator: the leaf whose .grad receives the gradient. */
    readonly leaf: Tensor | null = null,
  ) {
    this.versions = watched.length === 0 ? NO_VERSIONS : watched.map((t) => t.storage.version);
    for (const t of inputs) t.graphRefs++;
    for (const t of watched) t.graphRefs++;
  }

  static accumulator(leaf: Tensor): Node {
    return new Node('input', [], [], null, [], false, undefined, leaf);
  }

  /** Throws if a tensor this op relies on was changed in place after the op used it. */
  checkVersions(): void {
    this.watched.forEach((t, i) => {
      const now = t.storage.version;
      if (now !== this.versions[i]) {
        throw new Error(
          `backward(): a ${formatShape(t.shape)} tensor that '${this.op}' needs for its gradient was changed in place after '${this.op}' used it ` +
            `(it is at version ${now}; '${this.op}' used version ${this.versions[i]}). Change it after backward(), or give '${this.op}' a copy (t.clone())`,
        );
      }
    });
  }

  /** After a backward() without retainGraph: drop what the op saved; ops that saved nothing can run again. */
  release(): void {
    for (const t of this.inputs) t.unreference();
    this.inputs = [];
    if (!this.saves) return;
    for (const t of this.watched) t.unreference();
    this.released = true;
    this.backward = null;
    this.next = [];
    this.watched = [];
  }
}
