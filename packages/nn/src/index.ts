// @backprop/nn: layers, activations, losses, initialisers and safetensors, with PyTorch's names and layouts.
export { Module, parameter, isParameter, buffer, isBuffer, type StateDict, type LoadStateDictOptions, type LoadStateDictResult } from './module';
export { Linear } from './linear';
export { Sequential } from './sequential';
export { Flatten, Dropout } from './layers';
export { Conv2d, type Conv2dLayerOptions } from './conv';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './pooling';
export { BatchNorm1d, BatchNorm2d, LayerNorm, type BatchNormLayerOptions } from './normalization';
export { Embedding } from './embedding';
// The functional forms (PyTorch's F.*), defined as ops in @backprop/autograd.
export { conv2d, maxPool2d, avgPool2d, adaptiveAvgPool2d, batchNorm, layerNorm, embedding, unfold } from '@backprop/autograd';
export { Standardize } from './standardize';
export { Sigmoid, Tanh, ReLU, LeakyReLU, PReLU, ELU, Softplus } from './activations';
export {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, mseLoss, crossEntropy, nllLoss,
  BCELoss, BCEWithLogitsLoss, MSELoss, CrossEntropyLoss, NLLLoss, type LossOptions, type CrossEntropyOptions,
} from './losses';
export * as init from './init';
export { saveSafetensors, loadSafetensors, SafetensorsError, SafetensorsDict, type SafetensorsRule } from './safetensors';
// Training: fit and its callbacks, batching, evaluation.
export { fit, type FitOptions } from './training/fit';
export { fitInWorker, type FitInWorkerEvents, type FitInWorkerResult, type FitJob } from './training/fit-in-worker';
export { serveFit, type ServeFitSetup, type ServeFitTools, type WorkerFit } from './training/serve-fit';
export type { Callback, FitState, FitOptimizer, BatchLogs, EpochLogs, History, Monitor } from './training/callback';
export { EarlyStopping, type EarlyStoppingOptions } from './training/early-stopping';
export { ModelCheckpoint, type ModelCheckpointOptions } from './training/model-checkpoint';
export { LearningRateMonitor, type LearningRateMonitorOptions } from './training/learning-rate-monitor';
export { TerminateOnNaN, NonFiniteLossError } from './training/terminate-on-nan';
export { ProgressBar } from './training/progress-bar';
export type { Mode } from './training/best-value';
export { DataLoader, type DataLoaderOptions } from './training/data-loader';
export { evaluate, predict, type Batches, type EvaluateOptions } from './training/evaluate';
export { multiclassAccuracy, binaryAccuracy, type Accuracy } from './training/metrics';
// Regularisation: penalties and weight averaging (Dropout and BatchNorm are layers).
export { penalty, type PenaltyOptions } from './regularization/penalty';
export { WeightAveraging, type WeightAveragingOptions } from './regularization/weight-averaging';
// Export: ONNX files and PyTorch modules.
export { exportOnnx, type ExportOnnxOptions } from './export/onnx';
export { exportPyTorch } from './export/pytorch';
export { encodeOnnx, type OnnxGraph, type OnnxNode, type OnnxInitializer, type OnnxValue, type OnnxAttribute, type OnnxElementType } from './export/onnx-model';
export { ExportError } from './export/exportable';
