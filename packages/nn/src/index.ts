// @backprop/nn: layers, activations, losses, initialisers and safetensors, with PyTorch's names and layouts.
export { Module, parameter, isParameter, buffer, isBuffer, type StateDict, type LoadStateDictOptions, type LoadStateDictResult } from './module';
export { Linear } from './linear';
export { Sequential } from './sequential';
export { Flatten, Dropout } from './layers';
export { Standardize } from './standardize';
export { Sigmoid, Tanh, ReLU, LeakyReLU, PReLU, ELU, Softplus } from './activations';
export {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, mseLoss, crossEntropy, nllLoss,
  BCELoss, BCEWithLogitsLoss, MSELoss, CrossEntropyLoss, NLLLoss, type LossOptions, type CrossEntropyOptions,
} from './losses';
export * as init from './init';
export { saveSafetensors, loadSafetensors, SafetensorsError, SafetensorsDict, type SafetensorsRule } from './safetensors';
export { fit, evaluate, predict, multiclassAccuracy, binaryAccuracy, permutation, type FitOptions, type FitCallbacks, type EpochLogs, type History, type Batches, type EvaluateOptions, type Monitor } from './fit';
