// The IDX reader: Debian's Fashion-MNIST files (installed by .ci/run), and tiny IDX files written here, valid,
// truncated and corrupt, read from a folder and over HTTP.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnist, IdxFormatError, mnist, parseIdx } from './index';

const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

/** An unsigned-byte IDX file: header, dimensions (big-endian), values. */
function idx(dims: number[], values: number[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d, false));
  return new Uint8Array([...new Uint8Array(header.buffer), ...values]);
}

const counts = (labels: ArrayLike<number>, classes: number) => {
  const out = new Array<number>(classes).fill(0);
  for (const l of Array.from(labels)) out[l]!++;
  return out;
};

describe('fashionMnist({ dir }): the official files', () => {
  it(`reads 60,000 training and 10,000 test images of 28x28 in [0, 1], 10 balanced classes (from ${FASHION_DIR})`, async () => {
    const { train, test } = await fashionMnist({ dir: FASHION_DIR });
    expect([...train.x.shape, ...test.x.shape]).toEqual([60000, 784, 10000, 784]);
    expect(train.sampleShape).toEqual([28, 28]);
    expect(train.classes[9]).toBe('Ankle boot');
    expect(counts(train.y.values(), 10)).toEqual(new Array(10).fill(6000));
    expect(counts(test.y.values(), 10)).toEqual(new Array(10).fill(1000));
    // The files' first labels, and a row of the first training image (an ankle boot), as numpy reads them.
    expect(Array.from(train.y.values().slice(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(test.y.values().slice(0, 5))).toEqual([9, 2, 1, 1, 6]);
    const row = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 193, 228, 218, 213, 198, 180, 212, 210, 211, 213, 223, 220, 243, 202, 0];
    const pixels = train.x.values(); // one copy of the 188 MB
    expect(Array.from(pixels.subarray(280, 308))).toEqual(row.map((v) => Math.fround(v / 255)));
    let sum = 0;
    for (const v of pixels) sum += Math.round(v * 255);
    expect(sum).toBe(3431114169);
  }); // 14 s on an idle machine: 47 million pixels decompressed, scaled and summed
});

describe('tiny IDX files', () => {
  let dir: string;
  let server: Server;
  let url: string;
  const images = idx([3, 2, 2], [0, 255, 51, 102, 1, 2, 3, 4, 9, 8, 7, 6]);
  const labels = idx([3], [7, 0, 9]);

  /** Writes the four files (test split = training split) into a fresh folder, each changed by `edit`. */
  async function folder(edit: (name: string, bytes: Uint8Array) => Uint8Array = (_, b) => gzipSync(b)): Promise<string> {
    const d = await mkdtemp(join(dir, 'set-'));
    for (const [name, bytes] of [
      ['train-images-idx3-ubyte.gz', images], ['train-labels-idx1-ubyte.gz', labels],
      ['t10k-images-idx3-ubyte.gz', images], ['t10k-labels-idx1-ubyte.gz', labels],
    ] as const) await writeFile(join(d, name), edit(name, bytes));
    return d;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backprop-idx-'));
    const served = await folder();
    server = createServer((req, res) => {
      readFile(join(served, req.url!.slice('/files/'.length))).then(
        (bytes) => res.end(bytes),
        () => { res.statusCode = 404; res.end(); },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    url = `http://127.0.0.1:${port}/files`;
  });

  afterAll(async () => {
    // The server is closed (every connection ended) before its files go.
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    await rm(dir, { recursive: true, force: true });
  });

  it('reads pixels as value / 255 and labels as int32, from a folder, from a URL, gzipped or not', async () => {
    const want = [0, 1, 0.2, 0.4, 1 / 255, 2 / 255, 3 / 255, 4 / 255, 9 / 255, 8 / 255, 7 / 255, 6 / 255].map(Math.fround);
    for (const source of [{ dir: await folder() }, { url }, { dir: await folder((_, b) => b) }]) {
      const { train, test } = await mnist(source);
      expect([...train.x.shape]).toEqual([3, 4]);
      expect(Array.from(train.x.values())).toEqual(want);
      expect(Array.from(test.y.values())).toEqual([7, 0, 9]);
      expect(train.y.dtype).toBe('int32');
      expect(train.sampleShape).toEqual([2, 2]);
    }
  });

  it('a truncated or corrupt file fails with an IdxFormatError naming the file and the problem', async () => {
    const cases: [string, (name: string, bytes: Uint8Array) => Uint8Array, RegExp][] = [
      ['pixels missing', (n, b) => gzipSync(n.startsWith('train-images') ? b.subarray(0, b.length - 2) : b), /train-images-idx3-ubyte.gz: truncated: its header says 3 x 2 x 2 = 12 values, the file holds 10/],
      ['header cut', (n, b) => gzipSync(n.startsWith('t10k-labels') ? b.subarray(0, 6) : b), /t10k-labels-idx1-ubyte.gz: truncated in its header: 1 dimensions need 8 bytes, the file has 6/],
      ['gzip stream cut', (n, b) => (n.startsWith('train-labels') ? gzipSync(b).subarray(0, 12) : gzipSync(b)), /train-labels-idx1-ubyte.gz: cannot be decompressed \(a truncated or corrupt gzip file\)/],
      ['not IDX', (n, b) => gzipSync(n.startsWith('train-images') ? new TextEncoder().encode('<html>not found</html>') : b), /train-images-idx3-ubyte.gz: not an IDX file/],
      ['float values', (n, b) => gzipSync(n.startsWith('train-images') ? Uint8Array.from(b, (v, i) => (i === 2 ? 0x0d : v)) : b), /holds float32 values; MNIST-style files hold unsigned bytes/],
      ['extra bytes', (n, b) => gzipSync(n.startsWith('train-labels') ? new Uint8Array([...b, 0]) : b), /has 1 bytes after the 3 values its header announces/],
      ['counts differ', (n, b) => gzipSync(n.startsWith('t10k-labels') ? idx([2], [1, 2]) : b), /t10k-images-idx3-ubyte.gz holds 3 images but t10k-labels-idx1-ubyte.gz holds 2 labels/],
      ['label out of range', (n, b) => gzipSync(n.startsWith('train-labels') ? idx([3], [1, 12, 2]) : b), /label 12 at position 1 is not a class \(0 to 9\)/],
    ];
    for (const [what, edit, message] of cases) {
      const d = await folder(edit);
      await expect(mnist({ dir: d }), what).rejects.toThrow(message);
      await expect(fashionMnist({ dir: d }), what).rejects.toThrow(IdxFormatError);
    }
  });

  it('a missing folder, file or URL, and a bad source, say what is needed', async () => {
    await expect(fashionMnist({ dir: join(dir, 'nowhere') })).rejects.toThrow(/cannot read .*nowhere\/train-images-idx3-ubyte.gz .* the folder must hold train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz/);
    await expect(fashionMnist({ url: `${url}/missing` })).rejects.toThrow(/could not load http:\/\/127.0.0.1:\d+\/files\/missing\/train-images-idx3-ubyte.gz \(HTTP 404\)/);
    await expect(fashionMnist('/usr/share' as never)).rejects.toThrow(/pass \{ dir \} \(a folder, in Node\) or \{ url \} \(a URL prefix\) of the standard IDX files, got "\/usr\/share"/);
    await expect(fashionMnist({ dir: '/x', url: 'http://y' })).rejects.toThrow(/pass \{ dir \}/);
  });

  it('parseIdx reads any unsigned-byte IDX file', () => {
    expect(parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]))).toEqual({ dims: [2, 3], values: new Uint8Array([1, 2, 3, 4, 5, 6]) });
    expect(() => parseIdx(new Uint8Array([0, 0]), 'x.idx')).toThrow(/x.idx: only 2 bytes: too short for an IDX header/);
  });
});
