// The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): two zero bytes, a type code,
// the number of dimensions, each dimension as a big-endian uint32, then the values row-major. The files of both
// datasets are unsigned bytes: pixels 0..255 and labels.
import { ready, tensor } from '@backprop/autograd';
import { gunzip, nodeFs } from './assets';
import type { Dataset } from './datasets';

/** A malformed or unexpected IDX file; the message names the file and the problem. */
export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
}

const TYPE_NAMES: Record<number, string> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

/** The dimensions and the bytes of an (already gunzipped) unsigned-byte IDX file, checked against its header. */
export function parseIdx(bytes: Uint8Array, file = 'the IDX file'): { dims: number[]; values: Uint8Array } {
  const fail = (why: string): never => {
    throw new IdxFormatError(`${file}: ${why}`);
  };
  if (bytes.length < 4) fail(`only ${bytes.length} bytes: too short for an IDX header (the file is truncated or empty)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) fail(`not an IDX file (it starts with bytes ${bytes[0]}, ${bytes[1]}; IDX files start with 0, 0)`);
  const type = bytes[2]!;
  if (type !== 0x08) fail(`holds ${TYPE_NAMES[type] ?? `unknown type 0x${type.toString(16)}`} values; MNIST-style files hold unsigned bytes (type 0x08)`);
  const rank = bytes[3]!;
  if (rank === 0) fail('has no dimensions');
  const start = 4 + 4 * rank;
  if (bytes.length < start) fail(`truncated in its header: ${rank} dimensions need ${start} bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - start < count) {
    fail(`truncated: its header says ${dims.join(' x ')} = ${count} values, the file holds ${bytes.length - start}`);
  }
  if (bytes.length - start > count) fail(`has ${bytes.length - start - count} bytes after the ${dims.join(' x ')} values its header announces`);
  return { dims, values: bytes.subarray(start, start + count) };
}

/** Where the four standard files are: a folder (Node) or a URL prefix (browsers, or any fetch). */
export type IdxSource = { dir: string } | { url: string };

const FILES = {
  train: ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'],
  test: ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'],
} as const;

async function readSourceFile(owner: string, source: IdxSource, name: string): Promise<Uint8Array> {
  let bytes: Uint8Array<ArrayBuffer>;
  if ('dir' in source) {
    const { readFile } = await nodeFs();
    const path = `${source.dir.replace(/\/+$/, '')}/${name}`;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (error) {
      throw new Error(`${owner}: cannot read ${path} (${(error as Error).message}); the folder must hold ${[...FILES.train, ...FILES.test].join(', ')}`, { cause: error });
    }
  } else {
    const url = `${source.url.replace(/\/+$/, '')}/${name}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${owner}: could not load ${url} (HTTP ${response.status})`);
    bytes = new Uint8Array(await response.arrayBuffer());
  }
  try {
    return await gunzip(bytes);
  } catch (error) {
    throw new IdxFormatError(`${name}: cannot be decompressed (a truncated or corrupt gzip file): ${(error as Error).message}`, { cause: error });
  }
}

/** One split from its image and label files: x [n, rows cols] in [0, 1], y [n] int32 in [0, classes). */
async function readSplit(owner: string, source: IdxSource, [imagesFile, labelsFile]: readonly [string, string], classes: readonly string[], about: Pick<Dataset, 'name' | 'source' | 'license'>): Promise<Dataset> {
  const [imageBytes, labelBytes] = await Promise.all([readSourceFile(owner, source, imagesFile), readSourceFile(owner, source, labelsFile), ready()]);
  const images = parseIdx(imageBytes, imagesFile);
  const labels = parseIdx(labelBytes, labelsFile);
  if (images.dims.length !== 3) throw new IdxFormatError(`${imagesFile}: expected images [count, rows, columns], got dimensions ${images.dims.join(' x ')}`);
  if (labels.dims.length !== 1) throw new IdxFormatError(`${labelsFile}: expected labels [count], got dimensions ${labels.dims.join(' x ')}`);
  const [n, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) throw new IdxFormatError(`${imagesFile} holds ${n} images but ${labelsFile} holds ${labels.dims[0]} labels`);
  const bad = labels.values.findIndex((v) => v >= classes.length);
  if (bad >= 0) throw new IdxFormatError(`${labelsFile}: label ${labels.values[bad]} at position ${bad} is not a class (0 to ${classes.length - 1})`);
  const pixels = new Float32Array(images.values.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.values[i]! / 255;
  return {
    ...about,
    x: tensor(pixels, { shape: [n, rows * cols] }),
    y: tensor(Int32Array.from(labels.values), { dtype: 'int32' }),
    classes: [...classes],
    sampleShape: [rows, cols],
  };
}

function checkSource(owner: string, source: unknown): IdxSource {
  const s = source as Partial<Record<'dir' | 'url', unknown>> | null;
  const valid = typeof s === 'object' && s !== null && Object.keys(s).length === 1 && (typeof s.dir === 'string' || typeof s.url === 'string');
  if (!valid) throw new TypeError(`${owner}: pass { dir } (a folder, in Node) or { url } (a URL prefix) of the standard IDX files, got ${JSON.stringify(source)}`);
  return s as IdxSource;
}

/** Reads the training and test splits of an MNIST-style dataset from its four standard IDX files. */
export async function readIdxDataset(owner: string, source: unknown, classes: readonly string[], about: Pick<Dataset, 'name' | 'source' | 'license'>): Promise<{ train: Dataset; test: Dataset }> {
  const s = checkSource(owner, source);
  const [train, test] = await Promise.all([readSplit(owner, s, FILES.train, classes, about), readSplit(owner, s, FILES.test, classes, about)]);
  return { train, test };
}
