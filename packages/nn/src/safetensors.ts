// safetensors, following the reference implementation (huggingface/safetensors, safetensors/src/tensor.rs):
// 8 bytes little-endian u64 N, N bytes of UTF-8 JSON header, then the data buffer. Every rule of its
// reader is checked before anything is allocated, and every failure is a SafetensorsError naming the rule.
import { tensor, type Tensor } from '@backprop/autograd';

export type SafetensorsRule =
  | 'HeaderTooSmall' | 'HeaderTooLarge' | 'InvalidHeaderLength' | 'InvalidHeader' | 'InvalidHeaderDeserialization'
  | 'UnknownDtype' | 'UnsupportedDtype' | 'InvalidShape' | 'InvalidOffset' | 'TensorInvalidInfo' | 'ValidationOverflow'
  | 'MetadataIncompleteBuffer' | 'ForbiddenKey' | 'InvalidMetadata' | 'IntegerOutOfRange' | 'InvalidTensor';

/** A malformed safetensors file (or an unwritable state dict); `rule` names the rule broken. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
  constructor(readonly rule: SafetensorsRule, message: string) {
    super(`safetensors: ${message} (${rule})`);
  }
}

const MAX_HEADER_SIZE = 100_000_000;

/** Element sizes of every dtype the format defines, in its alignment order. */
const DTYPE_SIZE: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};
const DTYPE_ORDER = Object.keys(DTYPE_SIZE);

/** The tensors of a file by name, in file order, with the header's free-form metadata. */
export class SafetensorsDict extends Map<string, Tensor> {
  metadata: Record<string, string> = {};
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function fail(rule: SafetensorsRule, message: string): never {
  throw new SafetensorsError(rule, message);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Parses and validates the header: returns the entries sorted by offset and the data's start. */
function readHeader(bytes: Uint8Array): { entries: Entry[]; metadata: Record<string, string>; dataStart: number } {
  if (bytes.length < 8) fail('HeaderTooSmall', `the file has ${bytes.length} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_SIZE)) fail('HeaderTooLarge', `the header claims ${n} bytes, over the 100 MB limit`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) fail('InvalidHeaderLength', `the header claims ${headerLength} bytes but the file has ${bytes.length - 8} after the length`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    fail('InvalidHeader', 'the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    fail('InvalidHeaderDeserialization', `the header is not valid JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('InvalidHeaderDeserialization', 'the header is not a JSON object');
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    // JSON.parse makes "__proto__" an own key; copying it into an object would change that object's prototype.
    if (name === '__proto__') fail('ForbiddenKey', "the header has a '__proto__' key");
    if (name === '__metadata__') {
      if (info === null || typeof info !== 'object' || Array.isArray(info)) fail('InvalidMetadata', '__metadata__ must be an object of strings');
      const record = Object.create(null) as Record<string, string>;
      for (const [k, v] of Object.entries(info as object)) {
        if (typeof v !== 'string') fail('InvalidMetadata', `__metadata__ '${k}' is not a string`);
        record[k] = v;
      }
      metadata = record;
      continue;
    }
    if (info === null || typeof info !== 'object' || Array.isArray(info)) fail('InvalidHeaderDeserialization', `tensor '${name}' is not an object`);
    const { dtype, shape, data_offsets: offsets } = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string' || !(dtype in DTYPE_SIZE)) fail('UnknownDtype', `tensor '${name}' has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every(isIndex)) fail('InvalidShape', `tensor '${name}' has shape ${JSON.stringify(shape)}: dimensions must be non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
      fail('InvalidOffset', `tensor '${name}' has data_offsets ${JSON.stringify(offsets)}: expected [begin, end] as non-negative integers`);
    }
    entries.push({ name, dtype, shape: shape, begin: offsets[0] as number, end: offsets[1] as number });
  }
  // The reference's validate(): sorted by offsets, contiguous from 0, each size exactly shape x dtype, and the
  // last offset at the end of the file.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let start = 0;
  for (const e of entries) {
    if (e.begin !== start || e.end < e.begin) {
      fail('InvalidOffset', `tensor '${e.name}' spans [${e.begin}, ${e.end}) but must start at ${start}: offsets may not overlap, leave gaps or run backwards`);
    }
    start = e.end;
    let elements = 1n;
    for (const d of e.shape) elements *= BigInt(d);
    const bytesNeeded = elements * BigInt(DTYPE_SIZE[e.dtype]!);
    if (bytesNeeded > BigInt(Number.MAX_SAFE_INTEGER)) fail('ValidationOverflow', `tensor '${e.name}' has shape [${e.shape.join(', ')}], too large to address`);
    if (Number(bytesNeeded) !== e.end - e.begin) {
      fail('TensorInvalidInfo', `tensor '${e.name}': shape [${e.shape.join(', ')}] of ${e.dtype} needs ${bytesNeeded} bytes but its offsets give ${e.end - e.begin}`);
    }
  }
  const dataLength = bytes.length - 8 - headerLength;
  if (start !== dataLength) {
    fail('MetadataIncompleteBuffer', start < dataLength
      ? `the tensors end at byte ${start} of the data but the file has ${dataLength}: trailing bytes`
      : `the tensors need ${start} bytes of data but the file has ${dataLength}: the file is truncated`);
  }
  return { entries, metadata, dataStart: 8 + headerLength };
}

/** IEEE half to float. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decode(bytes: Uint8Array, dataStart: number, e: Entry): Tensor {
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart + e.begin, e.end - e.begin);
  const count = (e.end - e.begin) / DTYPE_SIZE[e.dtype]!;
  const shape = e.shape;
  switch (e.dtype) {
    case 'F32': return tensor(Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true)), { shape });
    case 'F64': return tensor(Float32Array.from({ length: count }, (_, i) => view.getFloat64(i * 8, true)), { shape });
    case 'F16': return tensor(Float32Array.from({ length: count }, (_, i) => halfToFloat(view.getUint16(i * 2, true))), { shape });
    case 'BF16': {
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return tensor(out, { shape });
    }
    case 'I32': return tensor(Int32Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true)), { shape, dtype: 'int32' });
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(i * 8, true);
        if (v < -(2n ** 31n) || v >= 2n ** 31n) fail('IntegerOutOfRange', `tensor '${e.name}' holds ${v} at index ${i}, outside int32`);
        out[i] = Number(v);
      }
      return tensor(out, { shape, dtype: 'int32' });
    }
    default:
      return fail('UnsupportedDtype', `tensor '${e.name}' is ${e.dtype}: backprop reads F32, F64, F16, BF16, I32 and I64`);
  }
}

/**
 * Reads a safetensors file: float tensors become float32, integer ones int32. Throws a SafetensorsError
 * naming the broken rule for any malformed input; the tensors are allocated only after the whole header
 * validated against the file's size.
 */
export function loadSafetensors(bytes: Uint8Array): SafetensorsDict {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('loadSafetensors: expected a Uint8Array');
  const { entries, metadata, dataStart } = readHeader(bytes);
  const unsupported = entries.find((e) => !['F32', 'F64', 'F16', 'BF16', 'I32', 'I64'].includes(e.dtype));
  if (unsupported) decode(bytes, dataStart, unsupported);
  const dict = new SafetensorsDict();
  dict.metadata = metadata;
  try {
    for (const e of entries) dict.set(e.name, decode(bytes, dataStart, e));
  } catch (error) {
    for (const t of dict.values()) t.dispose();
    throw error;
  }
  return dict;
}

/**
 * Writes tensors as safetensors, byte for byte as the reference writer does: entries sorted by descending
 * dtype alignment then name, compact JSON with __metadata__ first, padded with spaces to a multiple of 8.
 * float32 tensors are written as F32, int32 as I32.
 */
export function saveSafetensors(tensors: Map<string, Tensor> | Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const list = [...(tensors instanceof Map ? tensors : Object.entries(tensors))];
  for (const [name, t] of list) {
    if (name === '__proto__' || name === '__metadata__') fail('ForbiddenKey', `a tensor cannot be named '${name}'`);
    if (!t || typeof t.values !== 'function') fail('InvalidTensor', `'${name}' is not a tensor`);
  }
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') fail('InvalidMetadata', `metadata '${k}' is not a string`);
  }
  const dtypeOf = (t: Tensor): string => (t.dtype === 'int32' ? 'I32' : 'F32');
  list.sort(([a, ta], [b, tb]) => DTYPE_ORDER.indexOf(dtypeOf(tb)) - DTYPE_ORDER.indexOf(dtypeOf(ta)) || (a < b ? -1 : a > b ? 1 : 0));
  // Built from an ordered list, not an object: objects would move integer-like names ('0', '12') first.
  const fields: [string, unknown][] = metadata !== undefined ? [['__metadata__', metadata]] : [];
  let offset = 0;
  for (const [name, t] of list) {
    fields.push([name, { dtype: dtypeOf(t), shape: [...t.shape], data_offsets: [offset, offset + t.size * 4] }]);
    offset += t.size * 4;
  }
  let json = `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, t] of list) {
    const values = t.data();
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
    at += values.byteLength;
  }
  return out;
}
