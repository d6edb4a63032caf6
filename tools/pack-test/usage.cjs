// What a user does with the installed packages, shared by the ESM and CJS entry points.
// Throws (so the process fails) when a result is wrong.
async function usage({ kernels: kernelsPkg, autograd, nn, optim, data, zoo }) {
  const { kernels, ready, simdLevel } = kernelsPkg;
  await ready();
  const level = simdLevel();
  if (level !== 'simd' && level !== 'relaxed-simd') throw new Error(`simdLevel() returned ${level}`);
  // [[1, 2], [3, 4]] squared through the GEMM kernel.
  const heap = kernels.heap;
  const a = heap.alloc(16);
  const c = heap.alloc(16);
  heap.f32().set([1, 2, 3, 4], a >> 2);
  kernels.gemm(false, false, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2);
  const got = Array.from(heap.f32().subarray(c >> 2, (c >> 2) + 4));
  if (got.join() !== '7,10,15,22') throw new Error(`gemm gave ${got}`);
  heap.free(a);
  heap.free(c);
  // The .wasm modules are also exported as files, for strict-CSP pages and streaming compilation.
  for (const file of ['@backprop/kernels/simd.wasm', '@backprop/kernels/relaxed-simd.wasm']) {
    const bytes = require('node:fs').readFileSync(require.resolve(file));
    if (!WebAssembly.validate(bytes) && file.endsWith('/simd.wasm')) throw new Error(`${file} does not validate`);
  }
  console.log(`kernels (${level}): gemm ok, .wasm subpaths resolve`);

  // The lecture's example: f = (x + y) * z at (-2, 5, -4).
  const { tensor, randn, zeros, noGrad, binaryCrossEntropyWithLogits, manualSeed } = autograd;
  const [x, y, z] = [-2, 5, -4].map((v) => tensor(v, { requiresGrad: true }));
  const f = x.add(y).mul(z);
  f.backward();
  const grads = [x, y, z].map((t) => t.grad.item());
  if (f.item() !== -12 || grads.join() !== '-4,-4,3') throw new Error(`f = ${f.item()}, grads ${grads}`);
  // A 2-8-1 tanh network learns XOR with plain gradient descent.
  manualSeed(1);
  const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const Y = tensor([[0], [1], [1], [0]]);
  const params = [randn([2, 8], { requiresGrad: true }), zeros([8], { requiresGrad: true }), randn([8, 1], { requiresGrad: true }), zeros([1], { requiresGrad: true })];
  const [w1, b1, w2, b2] = params;
  let logits;
  for (let step = 0; step < 2000; step++) {
    logits = X.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
    binaryCrossEntropyWithLogits(logits, Y).backward();
    noGrad(() => params.forEach((p) => { p.sub_(p.grad, 0.5); p.zeroGrad(); }));
  }
  const predictions = logits.gt(0).toArray().flat();
  if (predictions.join() !== '0,1,1,0') throw new Error(`XOR predictions ${predictions}`);
  console.log('autograd: lecture example and XOR ok');

  // The course's XOR network with @backprop/nn and @backprop/optim, saved and reloaded through safetensors.
  const { Sequential, Linear, Tanh, binaryCrossEntropyWithLogits: bce, saveSafetensors, loadSafetensors } = nn;
  const model = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1));
  const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
  for (let epoch = 0; epoch < 500; epoch++) {
    opt.zeroGrad();
    bce(model.forward(X), Y).backward();
    opt.step();
  }
  const copy = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1));
  copy.loadStateDict(loadSafetensors(saveSafetensors(model.stateDict())));
  const accuracy = copy.forward(X).gt(0).eq(Y).mean().item();
  if (accuracy !== 1) throw new Error(`the XOR MLP reached ${accuracy * 100}% accuracy`);
  console.log('nn + optim: XOR MLP trained to 100% accuracy, saved and reloaded');

  // Files shipped inside the installed packages, found with no path configuration.
  const flowers = await data.iris();
  if (flowers.x.shape.join() !== '150,4') throw new Error(`iris has shape ${flowers.x.shape}`);
  const pretrained = await zoo.xorMlp.load();
  const predicted = pretrained.predict(X).toArray().join();
  if (predicted !== '0,1,1,0') throw new Error(`the shipped XOR MLP predicts ${predicted}`);
  console.log(`data + zoo: iris loaded, shipped XOR MLP predicts XOR (card: ${pretrained.card.results.testAccuracy * 100}% test accuracy)`);
}

module.exports = { usage };
if (require.main === module) {
  const pkgs = {
    kernels: require('@backprop/kernels'), autograd: require('@backprop/autograd'), nn: require('@backprop/nn'),
    optim: require('@backprop/optim'), data: require('@backprop/data'), zoo: require('@backprop/zoo'),
  };
  usage(pkgs).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
