import { decodeDataset, type DecodedDataset } from './format';

/** Gunzips with the platform's DecompressionStream (Node >= 18 and every current browser). */
async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Reads one of the package's dataset files, resolved relative to this module: from disk in Node (whose fetch
 * refuses file: URLs), by fetch in a browser (bundlers emit the asset and rewrite the URL).
 */
export async function readDataset(name: 'breast-cancer' | 'digits' | 'iris' | 'mnist'): Promise<DecodedDataset> {
  const url = new URL(`../assets/${name}.bpds.gz`, import.meta.url);
  let gz: Uint8Array<ArrayBuffer>;
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    gz = new Uint8Array(await readFile(url));
  } else {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`@backprop/data: could not load ${url.href} (HTTP ${response.status})`);
    gz = new Uint8Array(await response.arrayBuffer());
  }
  return decodeDataset(await gunzip(gz));
}
