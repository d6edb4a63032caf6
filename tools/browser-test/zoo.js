// Data files and zoo weights from the installed packages, in a browser, with no configuration.
import { iris } from '@backprop/data';
import { xorMlp } from '@backprop/zoo';
import { tensor } from '@backprop/autograd';

async function main() {
  const flowers = await iris();
  const model = await xorMlp.load();
  const predictions = model.predict(tensor([[0, 0], [0, 1], [1, 0], [1, 1]])).toArray();
  document.body.dataset.result = JSON.stringify({ values: [...flowers.x.shape, ...predictions] });
}

main().catch((error) => {
  document.body.dataset.result = JSON.stringify({ error: String(error) });
});
