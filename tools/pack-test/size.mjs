// What the packages weigh in a browser bundle, as a user's bundler ships them: each installed package bundled by
// esbuild for browsers, minified and gzipped (level 9), alone (its @backprop dependencies left out) and all six
// together (the WASM kernels included, inlined in @backprop/kernels). All together must stay within 100 kB.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 100;
const names = ['kernels', 'autograd', 'nn', 'optim', 'data', 'zoo'];

async function gzippedKb(contents, external = []) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' }, bundle: true, format: 'esm', platform: 'browser', minify: true,
    write: false, external: ['node:*', ...external], logLevel: 'error',
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length / 1000;
}

const rows = [];
for (const name of names) {
  const others = names.filter((n) => n !== name).map((n) => `@backprop/${n}`);
  rows.push([`@backprop/${name}`, await gzippedKb(`export * from '@backprop/${name}';`, others)]);
}
const total = await gzippedKb(names.map((n) => `export * as ${n} from '@backprop/${n}';`).join('\n'));
rows.push(['all six together', total]);
for (const [label, kb] of rows) console.log(`${label.padEnd(20)} ${kb.toFixed(1).padStart(6)} kB minified and gzipped`);
if (total > BUDGET_KB) {
  console.error(`all six packages together weigh ${total.toFixed(1)} kB minified and gzipped, over the ${BUDGET_KB} kB budget`);
  process.exit(1);
}
