// The few ONNX messages a GEMM or an MLP needs, encoded as protobuf by hand (field numbers from onnx.proto),
// so ONNX Runtime runs exactly the graph we describe without a model file or an extra dependency.
type Bytes = number[];

function varint(value: number, out: Bytes): void {
  let v = BigInt(value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}
const key = (field: number, wire: number, out: Bytes): void => varint((field << 3) | wire, out);
const int = (field: number, value: number): Bytes => { const out: Bytes = []; key(field, 0, out); varint(value, out); return out; };
function bytes(field: number, payload: ArrayLike<number>): Bytes {
  const out: Bytes = [];
  key(field, 2, out);
  varint(payload.length, out);
  for (let i = 0; i < payload.length; i++) out.push(payload[i]!);
  return out;
}
const text = (field: number, s: string): Bytes => bytes(field, new TextEncoder().encode(s));
const message = (field: number, parts: Bytes[]): Bytes => bytes(field, parts.flat());

const FLOAT = 1;

export interface OnnxNode { op: string; inputs: string[]; output: string; ints?: Record<string, number>; intLists?: Record<string, number[]> }
export interface OnnxInitializer { name: string; dims: number[]; data: Float32Array }

/** A float32 tensor's type with fixed dims. */
const valueInfo = (field: number, name: string, dims: number[]): Bytes =>
  message(field, [text(1, name), message(2, [message(1, [int(1, FLOAT), message(2, dims.map((d) => message(1, [int(1, d)])))])])]);

/** A model of one graph (opset 17): inputs and the output are float32 with the given dims. */
export function onnxModel(graph: { inputs: [string, number[]][]; output: [string, number[]]; nodes: OnnxNode[]; initializers?: OnnxInitializer[] }): Uint8Array {
  const nodes = graph.nodes.map((n, i) => message(1, [
    ...n.inputs.map((input) => text(1, input)),
    text(2, n.output),
    text(3, `n${i}`),
    text(4, n.op),
    ...Object.entries(n.ints ?? {}).map(([name, value]) => message(5, [text(1, name), int(3, value), int(20, 2 /* INT */)])),
    ...Object.entries(n.intLists ?? {}).map(([name, values]) => message(5, [text(1, name), ...values.map((v) => int(8, v)), int(20, 7 /* INTS */)])),
  ]));
  const initializers = (graph.initializers ?? []).map((t) => message(5, [
    ...t.dims.map((d) => int(1, d)),
    int(2, FLOAT),
    text(8, t.name),
    bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)),
  ]));
  const body = [
    ...nodes,
    text(2, 'backprop-bench'),
    ...initializers,
    ...graph.inputs.map(([name, dims]) => valueInfo(11, name, dims)),
    valueInfo(12, ...graph.output),
  ];
  return Uint8Array.from([...int(1, 8 /* IR version */), ...message(8, [text(1, ''), int(2, 17)]), ...message(7, body)]);
}
