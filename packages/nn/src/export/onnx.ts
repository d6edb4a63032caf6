import { checkOptions, describeValue, noGrad, ones, samePadding, tensor, zeros, type Tensor } from '@backprop/autograd';
import { ELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softplus, Tanh } from '../activations';
import { Conv2d } from '../conv';
import { Embedding } from '../embedding';
import { Dropout, Flatten } from '../layers';
import { Linear } from '../linear';
import { Module } from '../module';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from '../normalization';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../pooling';
import { Standardize } from '../standardize';
import { ExportError, layersOf, type PlacedLayer } from './exportable';
import { encodeOnnx, IR_VERSION_OF_OPSET, type OnnxAttribute, type OnnxGraph } from './onnx-model';

export interface ExportOnnxOptions {
  /** The shape of an input batch, batch first ([1, 784], [1, 1, 28, 28]); the file takes any batch size. */
  inputShape: readonly number[];
  /** The ONNX opset to write, 17 (the default) to 21. */
  opsetVersion?: number;
}

/** The symbolic name of the batch dimension in the file's input and output. */
const BATCH = 'batch';

/** The graph being built: nodes in order, the weights as initializers, and the name of the latest value. */
class GraphBuilder {
  readonly graph: OnnxGraph = { name: 'backprop', inputs: [], outputs: [], nodes: [], initializers: [] };
  current = 'input';

  /** A constant of the graph (a weight), named after its state-dict key. */
  weight(name: string, values: Tensor, dims: readonly number[] = values.shape): string {
    this.graph.initializers.push({ name, dims, data: Float32Array.from(values.values()) });
    return name;
  }

  /** Applies op to the current value (and the given other inputs); its output becomes the current value. */
  apply(op: string, others: (string | null)[] = [], attributes?: Record<string, OnnxAttribute>): void {
    const output = `${op}_${this.graph.nodes.length}`;
    const inputs = [this.current, ...others];
    while (inputs.at(-1) === null) inputs.pop(); // an absent optional input at the end is left out
    this.graph.nodes.push({ op, inputs: inputs.map((i) => i ?? ''), outputs: [output], ...(attributes ? { attributes } : {}) });
    this.current = output;
  }
}

const ints = (values: readonly number[]): OnnxAttribute => ({ ints: values });
/** [h, w] padding as ONNX's [top, left, bottom, right]. */
const pads = ([h, w]: readonly number[]): OnnxAttribute => ints([h!, w!, h!, w!]);
/** A convolution's padding as ONNX's pads: 'same' written out, its odd row and column at the bottom and right. */
function convPads(conv: Conv2d): OnnxAttribute {
  if (conv.padding !== 'same') return pads(conv.padding);
  const [top, bottom, left, right] = samePadding(conv.kernelSize, conv.dilation);
  return ints([top, left, bottom, right]);
}

/** Adds one layer's nodes, given the shapes of its input and output. */
function addLayer(b: GraphBuilder, { path, layer }: PlacedLayer, inputShape: readonly number[], outputShape: readonly number[]): void {
  const key = (name: string) => (path === '' ? name : `${path}.${name}`);
  const param = (name: string, t: Tensor) => b.weight(key(name), t);
  if (layer instanceof Linear) {
    const bias = layer.bias ? param('bias', layer.bias) : null;
    if (inputShape.length === 2) b.apply('Gemm', [param('weight', layer.weight), bias], { transB: { int: 1 } });
    else {
      b.apply('MatMul', [param('weight_transposed', layer.weight.transpose())]);
      if (bias) b.apply('Add', [bias]);
    }
  } else if (layer instanceof Conv2d) {
    b.apply('Conv', [param('weight', layer.weight), layer.bias ? param('bias', layer.bias) : null], {
      kernel_shape: ints(layer.kernelSize), strides: ints(layer.stride), pads: convPads(layer), dilations: ints(layer.dilation), group: { int: layer.groups },
    });
  } else if (layer instanceof MaxPool2d || layer instanceof AvgPool2d) addPool(b, layer, path, inputShape, outputShape);
  else if (layer instanceof AdaptiveAvgPool2d) {
    // For the exported input size: windows of one size side by side are an AveragePool.
    const [height, width, outH, outW] = [...inputShape.slice(2), ...outputShape.slice(2)] as number[];
    if (height! % outH! !== 0 || width! % outW! !== 0) {
      throw new ExportError(`exportOnnx: AdaptiveAvgPool2d at '${path}' pools ${height}x${width} in ${outH}x${outW} windows that differ in size or overlap; ONNX has no adaptive pooling`);
    }
    const window = [height! / outH!, width! / outW!];
    b.apply('AveragePool', [], { kernel_shape: ints(window), strides: ints(window) });
  } else if (layer instanceof BatchNorm1d || layer instanceof BatchNorm2d) {
    const n = layer.numFeatures; // running statistics present: exportOnnx checked before the trace
    const scale = layer.weight ? param('weight', layer.weight) : param('weight_ones', ones([n]));
    const shift = layer.bias ? param('bias', layer.bias) : param('bias_zeros', zeros([n]));
    b.apply('BatchNormalization', [scale, shift, param('running_mean', layer.running_mean!), param('running_var', layer.running_var!)], { epsilon: { float: layer.eps } });
  } else if (layer instanceof LayerNorm) {
    const shape = layer.normalizedShape;
    const scale = layer.weight ? param('weight', layer.weight) : param('weight_ones', ones(shape));
    b.apply('LayerNormalization', [scale, layer.bias ? param('bias', layer.bias) : null], { axis: { int: -shape.length }, epsilon: { float: layer.eps } });
  } else if (layer instanceof Embedding) {
    // Gather(data, indices): the table comes first, so the indices are the node's second input.
    const indices = b.current;
    b.current = param('weight', layer.weight);
    b.apply('Gather', [indices], { axis: { int: 0 } });
  } else if (layer instanceof Standardize) {
    b.apply('Sub', [param('mean', layer.mean)]);
    b.apply('Div', [param('std', layer.std)]);
  } else if (layer instanceof Flatten) b.apply('Flatten', [], { axis: { int: 1 } });
  else if (layer instanceof Dropout) return; // the identity at inference
  else if (layer instanceof ReLU) b.apply('Relu');
  else if (layer instanceof Sigmoid) b.apply('Sigmoid');
  else if (layer instanceof Tanh) b.apply('Tanh');
  else if (layer instanceof Softplus) b.apply('Softplus');
  else if (layer instanceof LeakyReLU) b.apply('LeakyRelu', [], { alpha: { float: layer.negativeSlope } });
  else if (layer instanceof ELU) b.apply('Elu', [], { alpha: { float: layer.alpha } });
  else if (layer instanceof PReLU) {
    // One slope per channel (axis 1) broadcasts from the right in ONNX: [C, 1, ..., 1] for an input [N, C, ...].
    const n = layer.weight.size;
    const dims = n === 1 ? [1] : [n, ...Array<number>(Math.max(0, inputShape.length - 2)).fill(1)];
    b.apply('PRelu', [b.weight(key('weight'), layer.weight, dims)]);
  } else throw new ExportError(`exportOnnx: no ONNX translation for ${layer.constructor.name} at '${path}'`);
}

/**
 * A pool as ONNX's MaxPool or AveragePool. ONNX's ceil_mode keeps a last window that starts in the padding, which
 * PyTorch drops, and ONNX's shape inference then disagrees with ONNX Runtime (a following Gemm fails to load):
 * ceil_mode is written only where rounding up gives the traced output size on both axes, and floor mode where
 * rounding down does (a dropped window's axis, or no partial window).
 */
function addPool(b: GraphBuilder, layer: MaxPool2d | AvgPool2d, path: string, inputShape: readonly number[], outputShape: readonly number[]): void {
  const max = layer instanceof MaxPool2d;
  const dilation = max ? layer.dilation : [1, 1];
  const rounded = (round: (v: number) => number) =>
    [0, 1].every((i) => round((inputShape[i + 2]! + 2 * layer.padding[i]! - dilation[i]! * (layer.kernelSize[i]! - 1) - 1) / layer.stride[i]!) + 1 === outputShape[i + 2]);
  const ceil = !rounded(Math.floor);
  if (ceil && !rounded(Math.ceil)) {
    throw new ExportError(`exportOnnx: ${layer.constructor.name} at '${path}' (ceilMode) drops a last window on one axis only; ONNX's ceil_mode rounds both axes alike`);
  }
  const attributes = { kernel_shape: ints(layer.kernelSize), strides: ints(layer.stride), pads: pads(layer.padding), ceil_mode: { int: ceil ? 1 : 0 } };
  if (max) b.apply('MaxPool', [], { ...attributes, dilations: ints(layer.dilation) });
  else b.apply('AveragePool', [], { ...attributes, count_include_pad: { int: layer.countIncludePad ? 1 : 0 } });
}

function withoutRunningStatistics(layer: Module, path: string): ExportError {
  return new ExportError(`exportOnnx: ${layer.constructor.name} at '${path}' keeps no running statistics (trackRunningStats: false), so it normalises by each batch even in eval mode; ONNX's BatchNormalization needs running statistics`);
}

function checkInputShape(shape: unknown): readonly number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw new TypeError(`exportOnnx: inputShape must be a non-empty array of positive integers (batch first, e.g. [1, 784]), got ${describeValue(shape)}`);
  }
  return shape as number[];
}

/** The shape each layer takes, and the model's output shape, from one forward pass on zeros of inputShape. */
function traceShapes(model: Module, layers: PlacedLayer[], inputShape: readonly number[], indices: boolean): number[][] {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let x = indices ? tensor(new Int32Array(inputShape.reduce((a, d) => a * d, 1)), { shape: [...inputShape], dtype: 'int32' }) : zeros([...inputShape]);
      const shapes = [[...x.shape]];
      for (const { layer } of layers) {
        x = layer.forward(x);
        shapes.push([...x.shape]);
      }
      return shapes;
    });
  } catch (error) {
    throw new ExportError(`exportOnnx: the model does not take inputs of shape [${inputShape.join(', ')}]: ${(error as Error).message}`, { cause: error });
  } finally {
    model.train(wasTraining);
  }
}

/**
 * The model as an ONNX file (protobuf bytes) that ONNX Runtime runs with the same outputs: a Sequential (nested or
 * not) of the library's layers, in inference mode (Dropout left out, BatchNorm with its running statistics).
 * The batch dimension is symbolic; weights are initializers named by their state-dict keys.
 */
export function exportOnnx(model: Module, options: ExportOnnxOptions): Uint8Array {
  if (!(model instanceof Module)) throw new TypeError(`exportOnnx: expected a Module, got ${describeValue(model)}`);
  checkOptions('exportOnnx', options, { inputShape: [], opsetVersion: 17 });
  if (options === undefined) throw new TypeError('exportOnnx: options with inputShape are required, e.g. { inputShape: [1, 784] }');
  const inputShape = checkInputShape(options.inputShape);
  const { opsetVersion = 17 } = options;
  if (!(opsetVersion in IR_VERSION_OF_OPSET)) {
    throw new RangeError(`exportOnnx: opsetVersion must be one of ${Object.keys(IR_VERSION_OF_OPSET).join(', ')}, got ${typeof opsetVersion === 'number' ? opsetVersion : describeValue(opsetVersion)}`);
  }
  const layers = layersOf('exportOnnx', model);
  // Before the trace, whose batch of one such a layer may refuse.
  for (const { path, layer } of layers) {
    if ((layer instanceof BatchNorm1d || layer instanceof BatchNorm2d) && !layer.running_mean) throw withoutRunningStatistics(layer, path);
  }
  const takesIndices = layers[0]?.layer instanceof Embedding;
  const shapes = traceShapes(model, layers, inputShape, takesIndices);
  const b = new GraphBuilder();
  layers.forEach((placed, i) => addLayer(b, placed, shapes[i]!, shapes[i + 1]!));
  if (b.graph.nodes.length === 0) b.apply('Identity');
  b.graph.nodes.at(-1)!.outputs = ['output'];
  const symbolic = (shape: readonly number[]) => [BATCH, ...shape.slice(1)];
  b.graph.inputs.push({ name: 'input', type: takesIndices ? 'int32' : 'float32', dims: symbolic(inputShape) });
  b.graph.outputs.push({ name: 'output', type: 'float32', dims: symbolic(shapes.at(-1)!) });
  return encodeOnnx(b.graph, { opsetVersion });
}
