// pnpm zoo:train: runs each model's recipe from scratch (seed 0) and writes the weights shipped in the package,
// with the model card (including the measured accuracy) in the safetensors metadata.
import { writeFileSync } from 'node:fs';
import { simdLevel } from '@backprop/autograd';
import { recipe, recipes } from '@backprop/zoo';

if (simdLevel() !== 'simd') {
  console.error(`the shipped weights come from the SIMD128 build; this runtime picked ${simdLevel()}: run without --experimental-wasm-relaxed-simd`);
  process.exit(1);
}
// One recipe, or all: pnpm zoo:train [name]
const only = process.argv[2];
let chosen = recipes;
try {
  if (only !== undefined) chosen = [recipe(only)];
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
for (const { name, train } of chosen) {
  const result = await train({ seed: 0, progress: process.stderr.isTTY });
  const file = new URL(`../weights/${name}.safetensors`, import.meta.url);
  writeFileSync(file, result.model.save());
  const extra = result.baselines ? ` ${JSON.stringify(result.baselines)}` : '';
  console.log(`${name}: test accuracy ${(result.testAccuracy * 100).toFixed(2)}% in ${result.seconds.toFixed(1)} s${extra} -> ${file.pathname}`);
}
