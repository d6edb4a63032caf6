import { tensor } from '@backprop/autograd';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Linear, loadSafetensors, saveSafetensors, SafetensorsError, Sequential, Tanh } from './index';

const encoder = new TextEncoder();

/** A file from a header string and data bytes, with the header length as written. */
function file(header: string, data: number[] = [], claimedLength?: number): Uint8Array {
  const h = encoder.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(claimedLength ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const f32 = (...values: number[]): number[] => Array.from(new Uint8Array(new Float32Array(values).buffer));

describe('safetensors: the reference writer\'s bytes', () => {
  // The outputs of huggingface/safetensors' own serializer in its unit tests (tensor.rs), rebuilt here from the
  // format: an F32 [1, 2, 3] tensor named "attn.0" holding 0..5; and an empty file with and without metadata.
  it('writes exactly what the reference writes, and reads it back', () => {
    const attn = tensor([[[0, 1, 2], [3, 4, 5]]]);
    const written = saveSafetensors({ 'attn.0': attn });
    const expected = file('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}', f32(0, 1, 2, 3, 4, 5));
    expect(Array.from(written.subarray(0, 8))).toEqual([64, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(written)).toEqual(Array.from(expected));
    expect(loadSafetensors(written).get('attn.0')!.toArray()).toEqual([[[0, 1, 2], [3, 4, 5]]]);
    expect(Array.from(saveSafetensors({}))).toEqual(Array.from(file('{}      ')));
    expect(Array.from(saveSafetensors({}, { framework: 'pt' }))).toEqual(Array.from(file('{"__metadata__":{"framework":"pt"}}     ')));
    // Padding to a multiple of 8 with spaces, so the data is aligned.
    const padded = saveSafetensors({ attn0: tensor([[[[0, 1, 2], [3, 4, 5]]]]) });
    expect(Number(new DataView(padded.buffer).getBigUint64(0, true))).toBe(72);
  });

  it('reads files written by PyTorch tools: F16, BF16, F64, I64, unsorted header keys, metadata', () => {
    const f16 = [0x3c00, 0xc000, 0x7c00, 0x0001]; // 1, -2, inf, the smallest subnormal
    const bf16 = [0x3f80, 0x4049]; // 1, 3.140625
    const bytes = [
      ...new Uint8Array(new Float64Array([0.1, -2.5]).buffer),
      ...new Uint8Array(new BigInt64Array([7n, -3n]).buffer),
      ...new Uint8Array(new Uint16Array(f16).buffer),
      ...new Uint8Array(new Uint16Array(bf16).buffer),
    ];
    const dict = loadSafetensors(file(
      '{"h":{"dtype":"F16","shape":[4],"data_offsets":[32,40]},"__metadata__":{"format":"pt"},"d":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},' +
      '"b":{"dtype":"BF16","shape":[2],"data_offsets":[40,44]},"i":{"dtype":"I64","shape":[1,2],"data_offsets":[16,32]}}',
      bytes,
    ));
    expect([...dict.keys()]).toEqual(['d', 'i', 'h', 'b']);
    expect(dict.metadata).toEqual({ format: 'pt' });
    expect(Array.from(dict.get('d')!.values())).toEqual([Math.fround(0.1), -2.5]);
    expect(dict.get('i')!.dtype).toBe('int32');
    expect(dict.get('i')!.toArray()).toEqual([[7, -3]]);
    expect(Array.from(dict.get('h')!.values())).toEqual([1, -2, Infinity, 2 ** -24]);
    expect(Array.from(dict.get('b')!.values())).toEqual([1, 3.140625]);
  });

  it('round-trips a model state dict with metadata, and int32 tensors', () => {
    const model = new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2));
    const bytes = saveSafetensors(model.stateDict(), { epochs: '3' });
    const copy = new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2));
    const dict = loadSafetensors(bytes);
    copy.loadStateDict(dict);
    copy.parameters().forEach((p, i) => expect(Array.from(p.values())).toEqual(Array.from(model.parameters()[i]!.values())));
    expect(dict.metadata).toEqual({ epochs: '3' });
    const labels = loadSafetensors(saveSafetensors({ labels: tensor([3, -1], { dtype: 'int32' }) })).get('labels')!;
    expect([labels.dtype, labels.toArray()]).toEqual(['int32', [3, -1]]);
  });
});

describe('safetensors: every malformed input throws a SafetensorsError naming the rule', () => {
  const ok = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const cases: [string, Uint8Array, string][] = [
    ['shorter than 8 bytes', new Uint8Array(5), 'HeaderTooSmall'],
    ['header length over 100 MB', file(ok, f32(1, 2), 100_000_001), 'HeaderTooLarge'],
    ['header length beyond the file', file(ok, f32(1, 2), 10_000), 'InvalidHeaderLength'],
    ['bad UTF-8', (() => { const b = file(ok, f32(1, 2)); b[9] = 0xff; return b; })(), 'InvalidHeader'],
    ['bad JSON', file('{"a":', f32(1, 2)), 'InvalidHeaderDeserialization'],
    ['a JSON array', file('[1,2]    '), 'InvalidHeaderDeserialization'],
    ['unknown dtype', file('{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}', f32(1, 2)), 'UnknownDtype'],
    ['a dtype backprop does not read', file('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}', [1, 2]), 'UnsupportedDtype'],
    ['negative shape', file('{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', f32(1, 2)), 'InvalidShape'],
    ['non-integer shape', file('{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}', f32(1, 2)), 'InvalidShape'],
    ['overlapping offsets', file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(1, 2)), 'InvalidOffset'],
    ['a gap between tensors', file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}', f32(1, 2, 3)), 'InvalidOffset'],
    ['offsets past the buffer', file('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}', f32(1, 2)), 'MetadataIncompleteBuffer'],
    ['byte count disagrees with shape x dtype', file('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32(1, 2)), 'TensorInvalidInfo'],
    ['a shape too large to address', file('{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}', f32(1, 2)), 'ValidationOverflow'],
    ['trailing bytes', file(ok, [...f32(1, 2), 0]), 'MetadataIncompleteBuffer'],
    ['a __proto__ key', file('{"__proto__":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', f32(1, 2)), 'ForbiddenKey'],
    ['non-string metadata', file('{"__metadata__":{"n":3}}'), 'InvalidMetadata'],
    ['an I64 outside int32', file('{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', Array.from(new Uint8Array(new BigInt64Array([2n ** 40n]).buffer))), 'IntegerOutOfRange'],
  ];
  for (const [what, bytes, rule] of cases) {
    it(what, () => {
      let error: unknown;
      try {
        loadSafetensors(bytes);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SafetensorsError);
      expect((error as SafetensorsError).rule).toBe(rule);
    });
  }

  it('refuses to write forbidden names or non-string metadata', () => {
    expect(() => saveSafetensors({ ['__metadata__']: tensor([1]) })).toThrow(SafetensorsError);
    expect(() => saveSafetensors({ a: tensor([1]) }, { n: 3 as unknown as string })).toThrow("metadata 'n' is not a string");
  });
});

describe('safetensors fuzz: mutated valid files load or throw SafetensorsError, nothing else', () => {
  const runs = Number(process.env.BACKPROP_FUZZ_RUNS ?? 3000);
  const seedFile = saveSafetensors({ 'a.weight': tensor([[1, 2], [3, 4]]), b: tensor([5, 6, 7]), n: tensor([1, 2], { dtype: 'int32' }) }, { k: 'v' });

  const seedData = seedFile.subarray(8 + Number(new DataView(seedFile.buffer).getBigUint64(0, true)));

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
    fc.record({ kind: fc.constant('length' as const), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
    fc.record({ kind: fc.constant('header' as const), text: fc.string({ maxLength: 80 }) }),
  );

  function apply(bytes: Uint8Array, m: { kind: string; at?: number; bit?: number; value?: number | bigint; bytes?: Uint8Array; text?: string }): Uint8Array {
    const out = bytes.slice();
    const at = (m.at ?? 0) % Math.max(1, out.length);
    switch (m.kind) {
      case 'flip': out[at] = out[at]! ^ (1 << m.bit!); return out;
      case 'set': out[at] = m.value as number; return out;
      case 'truncate': return out.subarray(0, at);
      case 'insert': return new Uint8Array([...out.subarray(0, at), ...m.bytes!, ...out.subarray(at)]);
      case 'length': if (out.length >= 8) new DataView(out.buffer, out.byteOffset).setBigUint64(0, m.value as bigint, true); return out;
      default: return file(m.text!, Array.from(seedData));
    }
  }

  it(`${runs} random mutations`, () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const bytes = mutations.reduce((b, m) => apply(b, m), seedFile);
        try {
          const dict = loadSafetensors(bytes);
          // What loads is bounded by the file: at most 2x its bytes (F16/BF16 widen to float32).
          let total = 0;
          for (const t of dict.values()) total += t.size * 4;
          expect(total).toBeLessThanOrEqual(2 * bytes.length);
          for (const t of dict.values()) t.dispose();
        } catch (error) {
          if (!(error instanceof SafetensorsError)) throw error;
        }
      }),
      { numRuns: runs, seed: 42 },
    );
  });
});
