// An ONNX model as plain data, and its encoding as the protobuf file ONNX Runtime and onnx.load read. Field
// numbers are onnx.proto's (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
import { ProtoWriter } from './protobuf';

/** Element types of graph inputs, outputs and initializers (TensorProto.DataType). */
const ELEMENT_TYPE = { float32: 1, int32: 6, int64: 7 } as const;
export type OnnxElementType = keyof typeof ELEMENT_TYPE;

/** The opsets this encoder writes, with the IR version each needs (onnx/helper.py's VERSION_TABLE). */
export const IR_VERSION_OF_OPSET: Readonly<Record<number, number>> = { 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/** A graph input or output: a dimension is a size or, for a symbolic one (the batch), a name. */
export interface OnnxValue {
  name: string;
  type: OnnxElementType;
  dims: (number | string)[];
}

export type OnnxAttribute = { int: number } | { float: number } | { ints: readonly number[] };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
}

export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  data: Float32Array | Int32Array;
}

export interface OnnxGraph {
  name: string;
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, ints: 7 } as const;

function writeAttribute(m: ProtoWriter, name: string, value: OnnxAttribute): void {
  m.string(1, name);
  if ('float' in value) m.float(2, value.float).int(20, ATTRIBUTE_TYPE.float);
  else if ('int' in value) m.int(3, value.int).int(20, ATTRIBUTE_TYPE.int);
  else {
    for (const v of value.ints) m.int(8, v);
    m.int(20, ATTRIBUTE_TYPE.ints);
  }
}

function writeValue(m: ProtoWriter, value: OnnxValue): void {
  m.string(1, value.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, ELEMENT_TYPE[value.type]).message(2, (shape) => {
        for (const d of value.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      }),
    ),
  );
}

function writeInitializer(m: ProtoWriter, t: OnnxInitializer): void {
  for (const d of t.dims) m.int(1, d);
  m.int(2, t.data instanceof Float32Array ? ELEMENT_TYPE.float32 : ELEMENT_TYPE.int32).string(8, t.name);
  // raw_data is little-endian, as typed arrays are on every platform JavaScript runs on.
  m.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

/** The model file (protobuf bytes) of one graph in the default ONNX domain at `opsetVersion`. */
export function encodeOnnx(graph: OnnxGraph, options: { opsetVersion: number; producer?: string }): Uint8Array {
  const { opsetVersion, producer = 'backprop' } = options;
  const irVersion = IR_VERSION_OF_OPSET[opsetVersion];
  if (irVersion === undefined) throw new RangeError(`ONNX opset ${opsetVersion} is not one this exporter writes (${Object.keys(IR_VERSION_OF_OPSET).join(', ')})`);
  const model = new ProtoWriter().int(1, irVersion).string(2, producer);
  model.message(7, (g) => {
    graph.nodes.forEach((node, i) => g.message(1, (n) => {
      for (const input of node.inputs) n.string(1, input);
      for (const output of node.outputs) n.string(2, output);
      n.string(3, `${node.op}_${i}`).string(4, node.op);
      for (const [name, value] of Object.entries(node.attributes ?? {})) n.message(5, (a) => writeAttribute(a, name, value));
    }));
    g.string(2, graph.name);
    for (const t of graph.initializers) g.message(5, (m) => writeInitializer(m, t));
    for (const v of graph.inputs) g.message(11, (m) => writeValue(m, v));
    for (const v of graph.outputs) g.message(12, (m) => writeValue(m, v));
  });
  model.message(8, (opset) => opset.string(1, '').int(2, opsetVersion));
  return model.finish();
}
