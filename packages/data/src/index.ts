// @backprop/data: real and synthetic datasets, loaders, splits and standardisation.
export { breastCancer, digits, iris, mnist, fashionMnist, FASHION_MNIST_CLASSES, type Dataset } from './datasets';
export { parseIdx, IdxFormatError, type IdxSource } from './idx';
export { xor, circles, gaussians, spiral, type Synthetic, type SyntheticOptions } from './synthetic';
// The one batching path lives beside fit, which batches with it; imported from here as torch.utils.data's.
export { DataLoader, type DataLoaderOptions } from '@backprop/nn';
export { trainTestSplit, type Split } from './split';
export { StandardScaler } from './standardize';
export { decodeDataset, DatasetFormatError, type DatasetHeader, type DecodedDataset } from './format';
export { readPackageFile, type PackageFile } from './assets';
export { translate, compose, randomCrop, randomShift, randomHorizontalFlip, gaussianNoise, type Transform, type RandomCropOptions } from './augment';
