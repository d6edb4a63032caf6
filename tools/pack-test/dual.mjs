// Both builds of @backprop/autograd in one process (an ESM app with a CommonJS dependency, say): each works on
// its own tensors, and mixing them is refused with an error that says what happened, never a wrong value.
import { createRequire } from 'node:module';
import { tensor as esmTensor } from '@backprop/autograd';

const { tensor: cjsTensor } = createRequire(import.meta.url)('@backprop/autograd');
const [a, b] = [esmTensor([1, 2]), cjsTensor([3, 4])];
console.log(`ESM alone: ${a.add(1).toArray().join()}; CommonJS alone: ${b.add(1).toArray().join()}`);
for (const [label, mix] of [['ESM + CommonJS', () => a.add(b)], ['CommonJS + ESM', () => b.mul(a)]]) {
  try {
    mix();
    throw new Error(`${label}: mixing the two copies was not refused`);
  } catch (error) {
    if (!/another copy of @backprop\/autograd/.test(error.message)) throw error;
    console.log(`${label}: refused: ${error.message}`);
  }
}
