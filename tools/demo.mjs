// `pnpm demo`: the course in one run, on the built packages. Logistic regression fails on XOR; then four zoo
// models train from scratch (a progress bar each on a terminal) and their shipped weights are checked on the same
// test splits, and the Fashion-MNIST CNN's shipped weights on the official test set. Prints one table; exits 1
// if any model misses its accuracy bar.
import { simdLevel } from '@backprop/autograd';
import { existsSync } from 'node:fs';
import { deepMlp, fashionCnn, fashionMnistDir, lenet, logisticOnXor, logisticRegression, xorMlp } from '@backprop/zoo';

const started = performance.now();
const tty = process.stderr.isTTY === true;
const percent = (v) => `${(v * 100).toFixed(1)}%`;

console.log(`backprop demo: WebAssembly ${simdLevel()} kernels, Node ${process.version}\n`);

console.log('1. The lecture\'s motivating problem: logistic regression on XOR.');
const linear = logisticOnXor(0);
console.log(`   best accuracy over 400 epochs of Adam: ${percent(linear)}. No straight line separates XOR: 3 of 4 points at most.\n`);

const entries = [
  { recipe: xorMlp, bar: 1, dataset: 'XOR (4 points)' },
  { recipe: logisticRegression, bar: 0.95, dataset: 'Breast Cancer Wisconsin' },
  { recipe: deepMlp, bar: 0.96, dataset: 'MNIST (8,000 train / 2,000 test)' },
  { recipe: lenet, bar: 0.988, dataset: 'MNIST (the same split)' },
];

console.log('2. Training the zoo from scratch (seed 0), then checking the weights shipped in @backprop/zoo.');
const rows = [];
let failed = false;
for (const { recipe, bar, dataset } of entries) {
  if (!tty) console.log(`   training ${recipe.name} ...`);
  const fresh = await recipe.train({ seed: 0, progress: tty });
  const shipped = await recipe.load();
  const { test } = await recipe.split();
  const shippedAccuracy = shipped.accuracy(test.x, test.y);
  const ok = fresh.testAccuracy >= bar && shippedAccuracy >= bar;
  failed ||= !ok;
  rows.push([
    recipe.name, dataset, String(fresh.model.card.parameters), String(fresh.model.card.epochs), percent(fresh.testAccuracy),
    percent(shippedAccuracy), `${fresh.seconds.toFixed(1)} s`, Math.round(fresh.samplesPerSecond).toLocaleString('en'), `${ok ? 'ok' : 'MISSED'} (>= ${percent(bar)})`,
  ]);
  if (fresh.baselines) console.log(`   ${recipe.name} baselines: ${Object.entries(fresh.baselines).map(([k, v]) => `${k} ${percent(v)}`).join(', ')}`);
}

const header = ['model', 'dataset', 'parameters', 'epochs', 'test acc (fresh)', 'test acc (shipped)', 'train time', 'samples/s', 'bar'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}`);

// The Fashion-MNIST CNN trains on 60,000 images for minutes (pnpm zoo:train fashion-cnn): its shipped weights are
// checked on the official test set, when the dataset's files are there.
console.log('\n3. The shipped Fashion-MNIST CNN on the official 10,000 test images.');
const fashionBar = 0.92;
const fashionDir = fashionMnistDir();
if (existsSync(`${fashionDir}/t10k-images-idx3-ubyte.gz`)) {
  const shipped = await fashionCnn.load();
  const { test } = await fashionCnn.split();
  const accuracy = shipped.accuracy(test.x, test.y);
  const { results } = shipped.card;
  failed ||= accuracy < fashionBar;
  console.log(`   test accuracy ${percent(accuracy)} (${accuracy >= fashionBar ? 'ok' : 'MISSED'}, >= ${percent(fashionBar)}), train ${percent(results.trainAccuracy)}`);
  const { unregularisedTrainAccuracy, unregularisedTestAccuracy } = results.baselines;
  console.log(`   the same network without BatchNorm, dropout and augmentation (its card): train ${percent(unregularisedTrainAccuracy)}, test ${percent(unregularisedTestAccuracy)}`);
} else {
  console.log(`   skipped: no Fashion-MNIST files in ${fashionDir} (Debian: apt install dataset-fashion-mnist; elsewhere set BACKPROP_FASHION_MNIST_DIR to the folder of the four official files)`);
}
console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(1)} s.`);
if (failed) {
  console.error('A model missed its accuracy bar.');
  process.exit(1);
}
