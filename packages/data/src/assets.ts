import { decodeDataset, type DecodedDataset } from './format';

/** Gunzips with the platform's DecompressionStream (Node >= 18 and every current browser). */
async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The bytes of a file shipped in a package, given its URL relative to the calling module
 * (new URL('../assets/x', import.meta.url)): from disk in Node, whose fetch refuses file: URLs; by fetch in a
 * browser, where bundlers emit the file and rewrite the URL. No path configuration either way.
 */
export async function readPackageFile(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url.href} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Reads and decodes one of this package's dataset files. */
export async function readDataset(name: 'breast-cancer' | 'digits' | 'iris' | 'mnist'): Promise<DecodedDataset> {
  return decodeDataset(await gunzip(await readPackageFile(new URL(`../assets/${name}.bpds.gz`, import.meta.url))));
}
