import { checkOptions, describeValue } from '@backprop/autograd';
import { saveSafetensors } from '../safetensors';
import type { Callback, EpochLogs, FitState, Monitor } from './callback';
import { BestValue, type Mode } from './best-value';

export interface ModelCheckpointOptions {
  /**
   * Where to write the state dict as safetensors (Node): `{epoch}` in it becomes the epoch number. Folders are
   * made as needed; each file is written whole to a temporary name, then renamed, so a crash never leaves half a file.
   */
  path?: string;
  /** Or: receives the safetensors bytes and the epoch's logs (a browser's IndexedDB, a download, a test). */
  save?: (bytes: Uint8Array, logs: EpochLogs) => void;
  /** Save only when the monitored quantity improves (default false: every epoch, so the file holds the last). */
  saveBestOnly?: boolean;
  /** What saveBestOnly watches (default 'valLoss'). */
  monitor?: Monitor;
  mode?: Mode;
  minDelta?: number;
}

/** Saves the model's state dict (PyTorch's keys, as safetensors) after epochs, the best or every one (Keras' ModelCheckpoint). */
export class ModelCheckpoint implements Callback {
  /** The epoch last saved (0 before any), and where (with `path`). */
  savedEpoch = 0;
  savedPath: string | undefined;
  private readonly write: (bytes: Uint8Array, logs: EpochLogs) => void;
  private readonly watched: BestValue | undefined;

  constructor(options: ModelCheckpointOptions) {
    checkOptions('ModelCheckpoint', options, { path: '', save: undefined, saveBestOnly: false, monitor: 'valLoss', mode: 'auto', minDelta: 0 } satisfies Record<keyof ModelCheckpointOptions, unknown>);
    const { path, save, saveBestOnly = false, monitor = 'valLoss', mode = 'auto', minDelta = 0 } = options ?? {};
    if ((path === undefined) === (save === undefined)) throw new TypeError('ModelCheckpoint: give either path (a file to write, in Node) or save (a function that receives the bytes)');
    if (save !== undefined && typeof save !== 'function') throw new TypeError(`ModelCheckpoint: save must be a function, got ${describeValue(save)}`);
    this.write = save ?? this.fileWriter(path!);
    this.watched = saveBestOnly ? new BestValue('ModelCheckpoint', monitor, mode, minDelta) : undefined;
  }

  onEpochEnd(logs: EpochLogs, { model }: FitState): void {
    if (this.watched && !this.watched.update(this.watched.read(logs))) return;
    const metadata: Record<string, string> = { epoch: String(logs.epoch), loss: String(logs.loss) };
    if (this.watched) metadata[this.watched.monitor] = String(this.watched.best);
    this.write(saveSafetensors(model.stateDict(), metadata), logs);
    this.savedEpoch = logs.epoch;
  }

  private fileWriter(template: string): (bytes: Uint8Array, logs: EpochLogs) => void {
    if (typeof template !== 'string' || template === '') throw new TypeError(`ModelCheckpoint: path must be a file name, got ${describeValue(template)}`);
    const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    if (!node) throw new TypeError('ModelCheckpoint: writing to a path needs Node (20.16 or later); elsewhere pass save, a function that receives the bytes');
    const fs = node('node:fs') as NodeFs;
    const path = node('node:path') as { dirname: (file: string) => string };
    return (bytes, logs) => {
      const file = template.replaceAll('{epoch}', String(logs.epoch));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const partial = `${file}.partial`;
      fs.writeFileSync(partial, bytes);
      fs.renameSync(partial, file);
      this.savedPath = file;
    };
  }
}

/** What ModelCheckpoint uses of node:fs (nn compiles without Node's types: it runs in browsers too). */
interface NodeFs {
  mkdirSync: (dir: string, options: { recursive: true }) => unknown;
  writeFileSync: (file: string, data: Uint8Array) => void;
  renameSync: (from: string, to: string) => void;
}
