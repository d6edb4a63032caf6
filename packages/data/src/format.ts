// The datasets' binary format: 'BPDS', u32 version (1), u32 header length, a JSON header, the features
// (float32 little-endian, or uint8 indices into the header's valueTable), then one uint8 label per row.
// The file is gzipped. Written by tools/vendor-data.mjs, read here; every length is checked before use.

export interface DatasetHeader {
  name: string;
  rows: number;
  features: number;
  featureType: 'float32' | 'uint8';
  /** For uint8 features: the value each byte stands for (exact, 256 entries at most). */
  valueTable?: number[];
  classes: string[];
  /** The shape of one sample when it is an image, e.g. [28, 28]. */
  sampleShape?: number[];
  source: string;
  license: string;
}

export interface DecodedDataset {
  header: DatasetHeader;
  features: Float32Array;
  labels: Int32Array;
}

export class DatasetFormatError extends Error {
  override name = 'DatasetFormatError';
}

const MAGIC = 0x53445042; // 'BPDS' little-endian

/** Decodes an (already gunzipped) dataset file, checking every length against the bytes present. */
export function decodeDataset(bytes: Uint8Array): DecodedDataset {
  const fail = (why: string): never => {
    throw new DatasetFormatError(`dataset file: ${why}`);
  };
  if (bytes.length < 12) fail(`${bytes.length} bytes is shorter than the 12-byte preamble`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail('not a backprop dataset (bad magic)');
  if (view.getUint32(4, true) !== 1) fail(`unsupported version ${view.getUint32(4, true)}`);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) fail('the header runs past the end of the file');
  let header: DatasetHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headerLength))) as DatasetHeader;
  } catch {
    return fail('the header is not valid JSON');
  }
  const { rows, features, featureType } = header;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(features) || features < 0) fail('rows and features must be non-negative integers');
  const featureBytes = rows * features * (featureType === 'float32' ? 4 : 1);
  const start = 12 + headerLength;
  if (start + featureBytes + rows !== bytes.length) fail(`expected ${start + featureBytes + rows} bytes for ${rows} x ${features} ${featureType}, got ${bytes.length}`);
  const out = new Float32Array(rows * features);
  if (featureType === 'float32') {
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(start + i * 4, true);
  } else if (featureType === 'uint8') {
    const table = header.valueTable;
    if (!Array.isArray(table) || table.length === 0 || table.length > 256) fail('uint8 features need a valueTable of 1 to 256 values');
    for (let i = 0; i < out.length; i++) {
      const v = table![bytes[start + i]!];
      if (v === undefined) fail(`byte ${bytes[start + i]} at feature ${i} is outside the value table`);
      out[i] = v!;
    }
  } else fail(`unknown feature type '${String(featureType)}'`);
  const labels = Int32Array.from(bytes.subarray(start + featureBytes));
  for (const label of labels) if (label >= header.classes.length) fail(`label ${label} is outside the ${header.classes.length} classes`);
  return { header, features: out, labels };
}
