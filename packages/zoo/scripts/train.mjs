// pnpm zoo:train: runs each model's recipe from scratch (seed 0) and writes the weights shipped in the package,
// with the model card (including the measured accuracy) in the safetensors metadata.
import { writeFileSync } from 'node:fs';
import { simdLevel } from '@backprop/autograd';
import { deepMlp, lenet, logisticRegression, xorMlp } from '@backprop/zoo';

if (simdLevel() !== 'simd') {
  console.error(`the shipped weights come from the SIMD128 build; this runtime picked ${simdLevel()}: run without --experimental-wasm-relaxed-simd`);
  process.exit(1);
}
// One recipe, or all: pnpm zoo:train [name]
const recipes = [xorMlp, logisticRegression, deepMlp, lenet];
const only = process.argv[2];
if (only !== undefined && !recipes.some((r) => r.name === only)) {
  console.error(`no zoo model named '${only}' (models: ${recipes.map((r) => r.name).join(', ')})`);
  process.exit(1);
}
for (const recipe of recipes.filter((r) => only === undefined || r.name === only)) {
  const result = await recipe.train({ seed: 0, progress: process.stderr.isTTY });
  const file = new URL(`../weights/${recipe.name}.safetensors`, import.meta.url);
  writeFileSync(file, result.model.save());
  const extra = result.baselines ? ` ${JSON.stringify(result.baselines)}` : '';
  console.log(`${recipe.name}: test accuracy ${(result.testAccuracy * 100).toFixed(2)}% in ${result.seconds.toFixed(1)} s${extra} -> ${file.pathname}`);
}
