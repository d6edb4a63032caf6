// Every op, one file per family: forward and backward side by side.
export { add, sub, mul, div, maximum, minimum, type Operand } from './binary';
export { eq, ne, lt, le, gt, ge } from './compare';
export { neg, abs, square, sqrt, exp, log, pow, sigmoid, tanh, relu, leakyRelu, elu, softplus } from './unary';
export { prelu } from './prelu';
export { matmul } from './matmul';
export { linear } from './linear';
export { sum, mean, max } from './reduce';
export { argmax } from './argmax';
export { softmax, logSoftmax } from './softmax';
export { reshape } from './reshape';
export { transpose } from './transpose';
export { slice } from './slice';
export { indexSelect } from './index-select';
export { to } from './cast';
export { clone } from './clone';
export { concat, stack } from './concat';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, mseLoss, crossEntropy, nllLoss, type Reduction } from './losses';
