// The official Fashion-MNIST IDX files (gzipped) read from a URL prefix in a browser: fetch and gunzip there.
import { fashionMnist } from '@backprop/data';

async function main() {
  const { train, test } = await fashionMnist({ url: '/fashion-mnist' });
  // The first test image's pixels summed back to bytes: a check of the decoding, not only of the shapes.
  const firstImage = test.x.narrow(0, 0, 1).values().reduce((a, b) => a + b, 0) * 255;
  document.body.dataset.result = JSON.stringify({ values: [...train.x.shape, ...test.x.shape, train.y.values()[0], test.y.values()[0], Math.round(firstImage)] });
}

main().catch((error) => {
  document.body.dataset.result = JSON.stringify({ error: String(error) });
});
