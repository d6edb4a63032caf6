import { deepMlp } from './deep-mlp';
import { fashionCnn } from './fashion-cnn';
import { lenet } from './lenet';
import { logisticRegression } from './logistic-regression';
import type { Recipe } from './recipe';
import { xorMlp } from './xor-mlp';

/** Every model of the zoo, in the order of the course. */
export const recipes: readonly Recipe[] = [logisticRegression, xorMlp, deepMlp, lenet, fashionCnn];

/** The zoo model named `name` ('lenet', 'deep-mlp', ...). */
export function recipe(name: string): Recipe {
  const found = recipes.find((r) => r.name === name);
  if (!found) throw new RangeError(`no zoo model named '${String(name)}' (models: ${recipes.map((r) => r.name).join(', ')})`);
  return found;
}
