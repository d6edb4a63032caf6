import { describe, expect, it } from 'vitest';
import { kernels as k } from './index';
import * as reference from './reference/index';
import { download, downloadInt, randomArray, seeded, upload, worstError } from './testing';

const random = seeded(11);

/** Windows of every kind: 1x1 and 7x7, odd channel counts, stride above the kernel, dilation, padding on one axis. */
const geometries: [images: number, g: reference.Window2d][] = [
  [1, { channels: 1, height: 1, width: 1, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 }],
  [2, { channels: 3, height: 5, width: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1 }],
  [1, { channels: 17, height: 9, width: 7, kh: 7, kw: 7, sh: 1, sw: 1, ph: 3, pw: 3, dh: 1, dw: 1 }],
  [3, { channels: 2, height: 11, width: 13, kh: 2, kw: 3, sh: 4, sw: 5, ph: 1, pw: 0, dh: 1, dw: 1 }],
  [1, { channels: 3, height: 10, width: 9, kh: 3, kw: 2, sh: 2, sw: 1, ph: 0, pw: 1, dh: 2, dw: 3 }],
  [2, { channels: 1, height: 28, width: 28, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2, dh: 1, dw: 1 }],
  [1, { channels: 4, height: 17, width: 3, kh: 1, kw: 1, sh: 3, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 }],
  // 2x2 windows at stride 2 (max pooling's fast path): odd sizes drop the last row and column; 4 windows a step plus the rest.
  [3, { channels: 3, height: 9, width: 19, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 }],
  [2, { channels: 17, height: 28, width: 28, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 }],
  [1, { channels: 1, height: 2, width: 2, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 }],
  [2, { channels: 2, height: 6, width: 15, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 }], // 7 windows a row: 4 and 3
  // Stride 1, where col2im gathers: LeNet's second layer (rows of 14: 16 lanes computed, 14 stored; columns rows of
  // 10 copied as 3 vectors), dilation with rows of 21 (16 lanes, then 4 and 1), columns rows of 4 (one vector) and
  // of 3 (element by element), padding past the window's reach (no gap between the rows), and a window whose
  // columns pass the gather's scratch (added in place instead).
  [2, { channels: 6, height: 14, width: 14, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 }],
  [1, { channels: 2, height: 7, width: 21, kh: 3, kw: 3, sh: 1, sw: 1, ph: 2, pw: 0, dh: 2, dw: 3 }],
  [2, { channels: 2, height: 6, width: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 }],
  [1, { channels: 1, height: 5, width: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 }],
  [1, { channels: 3, height: 4, width: 5, kh: 2, kw: 2, sh: 1, sw: 1, ph: 3, pw: 3, dh: 1, dw: 1 }],
  [1, { channels: 1, height: 300, width: 300, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 }],
];

const outputs = (g: reference.Window2d): number =>
  reference.windowOutput(g.height, g.kh, g.sh, g.ph, g.dh) * reference.windowOutput(g.width, g.kw, g.sw, g.pw, g.dw);

describe('im2col and col2im', () => {
  for (const [images, g] of geometries) {
    const label = `${images}x${g.channels}x${g.height}x${g.width}, ${g.kh}x${g.kw} window, stride ${g.sh},${g.sw}, pad ${g.ph},${g.pw}, dilation ${g.dh},${g.dw}`;
    const xSize = images * g.channels * g.height * g.width;
    const colSize = images * g.channels * g.kh * g.kw * outputs(g);

    it(`im2col matches the reference (${label})`, () => {
      const x = randomArray(xSize, random);
      const want = new Float32Array(colSize);
      reference.im2col(images, g, x, want);
      const px = upload(k, x, 1);
      const pc = upload(k, new Float32Array(colSize + 1).fill(7), 3);
      k.im2col(images, g, px, pc);
      const got = download(k, pc, colSize + 1);
      expect(Array.from(got.subarray(0, colSize))).toEqual(Array.from(want));
      expect(got[colSize]).toBe(7); // nothing written past the end
      k.heap.free(px - 4);
      k.heap.free(pc - 12);
    });

    it(`col2im matches the reference (${label})`, () => {
      const cols = randomArray(colSize, random);
      const want = new Float32Array(xSize);
      reference.col2im(images, g, cols, want);
      const pc = upload(k, cols, 2);
      const px = upload(k, new Float32Array(xSize + 1).fill(7), 1);
      k.col2im(images, g, pc, px);
      const got = download(k, px, xSize + 1);
      // The sums run in the same order in both, so they agree to the last bit.
      expect(Array.from(got.subarray(0, xSize))).toEqual(Array.from(want));
      expect(got[xSize]).toBe(7);
      k.heap.free(pc - 8);
      k.heap.free(px - 4);
    });
  }

  it("sizes col2im's scratch without overflowing 32 bits", () => {
    // LeNet's second layer: a gap of 4 floats left of each of 25 x 10 rows of 10, and 4 to read past the end.
    expect(k.wasm.col2imScratchFloats(14, 14, 5, 5, 0, 0, 1, 1)).toBe(4 + 250 * 14 + 4);
    // A 10,000-pixel-square plane under an 11 x 11 window: 1.2e10 floats (past 2^31; never allocated, col2im adds in place).
    expect(k.wasm.col2imScratchFloats(10000, 10000, 11, 11, 0, 0, 1, 1)).toBe(10 + 121 * 9990 * (9990 + 10) + 4);
  });

  it('lays a 3x3 image out as F.unfold does for a 2x2 window with padding 1 and stride 2', () => {
    // F.unfold(torch.arange(1., 10.).view(1, 1, 3, 3), 2, padding=1, stride=2)
    const cols = new Float32Array(4 * 4);
    reference.im2col(1, { channels: 1, height: 3, width: 3, kh: 2, kw: 2, sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1 }, [1, 2, 3, 4, 5, 6, 7, 8, 9], cols);
    expect(Array.from(cols)).toEqual([0, 0, 0, 5, 0, 0, 4, 6, 0, 2, 0, 8, 1, 3, 7, 9]);
  });
});

describe('maxPool2d', () => {
  for (const [images, g] of geometries) {
    // Pooling pads at most half the window (as PyTorch requires), so every window holds an element of the image.
    if (2 * g.ph > g.kh || 2 * g.pw > g.kw) continue;
    it(`matches the reference forward and backward, with ties, NaN and -Infinity (${images}x${g.channels}x${g.height}x${g.width}, ${g.kh}x${g.kw}, stride ${g.sh},${g.sw})`, () => {
      const planes = images * g.channels;
      const [inputPlane, outputPlane] = [g.height * g.width, outputs(g)];
      // Few distinct values, so windows have ties; some NaN and -Infinity.
      const x = Float32Array.from({ length: planes * inputPlane }, () => {
        const r = random();
        return r < 0.03 ? Number.NaN : r < 0.1 ? -Infinity : Math.floor(r * 5);
      });
      const [wantY, wantAt] = [new Float32Array(planes * outputPlane), new Int32Array(planes * outputPlane)];
      reference.maxPool2d(images, g, x, wantY, wantAt);
      const px = upload(k, x, 1);
      const py = upload(k, new Float32Array(wantY.length + 1).fill(7));
      const pi = upload(k, new Int32Array(wantY.length));
      k.maxPool2d(images, g, px, py, pi);
      const gotY = download(k, py, wantY.length + 1);
      expect(Array.from(gotY.subarray(0, wantY.length))).toEqual(Array.from(wantY));
      expect(gotY[wantY.length]).toBe(7);
      expect(Array.from(downloadInt(k, pi, wantAt.length))).toEqual(Array.from(wantAt));

      const dy = randomArray(wantY.length, random);
      const wantDx = new Float32Array(x.length);
      reference.maxPool2dBackward(planes, inputPlane, outputPlane, wantAt, dy, wantDx);
      const pdy = upload(k, dy);
      const pdx = upload(k, new Float32Array(x.length).fill(7));
      k.maxPool2dBackward(planes, inputPlane, outputPlane, pi, pdy, pdx);
      expect(Array.from(download(k, pdx, x.length))).toEqual(Array.from(wantDx));
      for (const p of [px - 4, py, pi, pdy, pdx]) k.heap.free(p);
    });
  }

  it('takes the first of tied maxima and lets NaN win, as F.max_pool2d(return_indices=True)', () => {
    // F.max_pool2d(torch.tensor([[[[1., 3., 3., 0.], [3., 2., float('nan'), 5.]]]]), 2, return_indices=True)
    const g = { channels: 1, height: 2, width: 4, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
    const [y, at] = [new Float32Array(2), new Int32Array(2)];
    reference.maxPool2d(1, g, [1, 3, 3, 0, 3, 2, Number.NaN, 5], y, at);
    expect(Array.from(y)).toEqual([3, Number.NaN]);
    expect(Array.from(at)).toEqual([1, 6]);
  });
});

describe('depthwise convolution', () => {
  // [images, channels, hp, wp, kh, kw, sh, sw, dh, dw]: 1x1 and 7x7 kernels, odd widths, stride above the kernel, dilation.
  const cases = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 3, 7, 9, 3, 3, 1, 1, 1, 1], [1, 17, 13, 13, 7, 7, 1, 1, 1, 1],
    [3, 2, 11, 12, 2, 3, 4, 5, 1, 1], [1, 3, 12, 11, 3, 2, 2, 1, 2, 3], [2, 4, 18, 18, 3, 3, 1, 1, 1, 1],
  ] as const;
  for (const [images, channels, hp, wp, kh, kw, sh, sw, dh, dw] of cases) {
    const d: reference.Depthwise = {
      images, channels, hp, wp, kh, kw, sh, sw, dh, dw,
      outH: Math.floor((hp - dh * (kh - 1) - 1) / sh) + 1, outW: Math.floor((wp - dw * (kw - 1) - 1) / sw) + 1,
    };
    it(`forward and weight gradient match the reference (${images}x${channels}x${hp}x${wp}, ${kh}x${kw}, stride ${sh},${sw}, dilation ${dh},${dw})`, () => {
      const x = randomArray(images * channels * hp * wp, random);
      const w = randomArray(channels * kh * kw, random);
      const outSize = images * channels * d.outH * d.outW;
      const want = new Float32Array(outSize);
      reference.depthwiseConv2d(d, x, w, want);
      const [px, pw, py] = [upload(k, x, 1), upload(k, w), upload(k, new Float32Array(outSize + 1).fill(7))];
      k.depthwiseConv2d(d, px, pw, py);
      const got = download(k, py, outSize + 1);
      // float32 sums of kh kw terms against the reference's (products not rounded): a few ulps.
      expect(worstError(got.subarray(0, outSize), want, 1e-6 * Math.sqrt(kh * kw) * 4, 1e-5)).toBeLessThanOrEqual(1);
      expect(got[outSize]).toBe(7);

      const dy = randomArray(outSize, random);
      const wantDw = new Float64Array(channels * kh * kw);
      reference.depthwiseConv2dWeightGrad(d, x, dy, wantDw);
      const [pdy, pdw] = [upload(k, dy), upload(k, new Float32Array(channels * kh * kw))];
      k.depthwiseConv2dWeightGrad(d, px, pdy, pdw);
      // Sums of up to images x outputs terms, in lanes: within float32 rounding of the float64 sum.
      const terms = images * d.outH * d.outW;
      expect(worstError(download(k, pdw, channels * kh * kw), wantDw, 1e-6 * Math.sqrt(terms) * 4, 1e-5)).toBeLessThanOrEqual(1);
      for (const p of [px - 4, pw, py, pdy, pdw]) k.heap.free(p);
    });
  }
});

describe('direct convolution (stride 1) and its weight gradient', () => {
  // [images, channels, hp, wp, outChannels, kh, kw, dh, dw]: 1, 4, 5, 6, 7, 13 and 16 output channels (tiles of 3,
  // full and partial), rows of 1, 5, 6, 7, 8, 10, 17, 23 and 28 outputs (tiles of 12 in the relaxed build, of 8, of 4,
  // and 1-3 lanes), 1x1 and 7x7 kernels, dilation.
  const cases = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 1, 32, 32, 6, 5, 5, 1, 1], [1, 3, 7, 9, 5, 3, 3, 1, 1], [3, 2, 13, 23, 13, 7, 7, 1, 1],
    [2, 6, 14, 14, 16, 5, 5, 1, 1], [1, 4, 9, 12, 7, 2, 3, 2, 2], [1, 17, 5, 5, 1, 1, 1, 1, 1], [2, 3, 6, 8, 6, 3, 1, 1, 1],
    [1, 2, 6, 27, 4, 3, 5, 1, 1],
  ] as const;
  for (const [images, channels, hp, wp, outChannels, kh, kw, dh, dw] of cases) {
    const d: reference.DirectConv = {
      images, channels, hp, wp, outChannels, kh, kw, dh, dw, outH: hp - dh * (kh - 1), outW: wp - dw * (kw - 1),
    };
    it(`matches the reference with and without a bias (${images}x${channels}x${hp}x${wp} * ${outChannels}x${channels}x${kh}x${kw}, dilation ${dh},${dw}: rows of ${d.outW})`, () => {
      const x = randomArray(images * channels * hp * wp, random);
      const w = randomArray(outChannels * channels * kh * kw, random);
      const bias = randomArray(outChannels, random);
      const outSize = images * outChannels * d.outH * d.outW;
      const [px, pw, pb] = [upload(k, x), upload(k, w), upload(k, bias)];
      for (const withBias of [true, false]) {
        const want = new Float32Array(outSize);
        reference.conv2dDirect(d, x, w, withBias ? bias : null, want);
        const py = upload(k, new Float32Array(outSize + 1).fill(7));
        k.conv2dDirect(d, px, pw, withBias ? pb : 0, py);
        const got = download(k, py, outSize + 1);
        const terms = channels * kh * kw;
        expect(worstError(got.subarray(0, outSize), want, 1e-6 * Math.sqrt(terms + 1) * 4, 1e-5), `bias ${withBias}`).toBeLessThanOrEqual(1);
        expect(got[outSize]).toBe(7); // nothing written past the end
        k.heap.free(py);
      }
      for (const p of [px, pw, pb]) k.heap.free(p);
    });

    it(`its weight gradient matches the reference (${images}x${channels}x${hp}x${wp}, ${outChannels} output channels, ${kh}x${kw}: ${Math.ceil((channels * kh * kw) / 4)} tiles of 4 taps per channel pair)`, () => {
      const x = randomArray(images * channels * hp * wp, random);
      const dy = randomArray(images * outChannels * d.outH * d.outW, random);
      const size = outChannels * channels * kh * kw;
      const want = new Float64Array(size);
      reference.conv2dDirectWeightGrad(d, x, dy, want);
      const [px, pdy, pdw] = [upload(k, x), upload(k, dy), upload(k, new Float32Array(size + 1).fill(7))];
      k.conv2dDirectWeightGrad(d, px, pdy, pdw);
      const got = download(k, pdw, size + 1);
      const terms = images * d.outH * d.outW;
      expect(worstError(got.subarray(0, size), want, 1e-6 * Math.sqrt(terms) * 4, 1e-5)).toBeLessThanOrEqual(1);
      expect(got[size]).toBe(7);
      for (const p of [px, pdy, pdw]) k.heap.free(p);
    });
  }
});
