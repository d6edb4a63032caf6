import type * as NodeFsPromises from 'node:fs/promises';
import { decodeDataset, type DecodedDataset } from './format';

/**
 * Gunzips with the platform's DecompressionStream (Node >= 18 and every current browser), unless a server
 * already did (some serve gzip files with Content-Encoding: gzip, and the browser then decompresses them).
 */
export async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

type NodeFs = typeof NodeFsPromises;

/**
 * Node's fs, hidden from bundlers: a browser build must not try to resolve it (webpack 5 fails on it), and it
 * only ever runs in Node. getBuiltinModule exists from Node 20.16; before, a dynamic import of a variable.
 */
export async function nodeFs(): Promise<NodeFs> {
  const specifier = 'node:fs/promises';
  const builtin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(specifier);
  return (builtin as NodeFs | undefined) ?? ((await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as NodeFs);
}

/** Where a file lives inside its package, for the Vite dev-server fallback below. */
export interface PackageFile {
  /** The package's name, e.g. '@backprop/data'. */
  pkg: string;
  /** The file's path inside the package, e.g. 'assets/iris.bpdsz'. */
  path: string;
  /** The calling module's import.meta.url. */
  from: string;
}

/**
 * Vite's dev server pre-bundles dependencies into node_modules/.vite/deps/, away from their files (and its
 * rewrite of new URL(`...${name}`, import.meta.url) breaks there). It still serves the package's own files.
 */
function outsideViteDeps({ pkg, path, from }: PackageFile): URL | undefined {
  const match = /^(.*\/node_modules\/)\.vite\/deps\//.exec(from);
  return match ? new URL(`${match[1]}${pkg}/${path}`) : undefined;
}

/**
 * The bytes of a file shipped in a package, given its URL relative to the calling module
 * (new URL('../assets/x', import.meta.url)): from disk in Node, whose fetch refuses file: URLs; by fetch in a
 * browser, where bundlers emit the file and rewrite the URL. No path configuration either way.
 */
export async function readPackageFile(url: URL, file?: PackageFile): Promise<Uint8Array<ArrayBuffer>> {
  if (url.protocol === 'file:') {
    const { readFile } = await nodeFs();
    return new Uint8Array(await readFile(url));
  }
  const target = (file && outsideViteDeps(file)) ?? url;
  const response = await fetch(target);
  if (!response.ok) throw new Error(`could not load ${target.href} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Reads and decodes one of this package's dataset files. */
export async function readDataset(name: 'breast-cancer' | 'digits' | 'iris' | 'mnist'): Promise<DecodedDataset> {
  const path = `assets/${name}.bpdsz`;
  const bytes = await readPackageFile(new URL(`../assets/${name}.bpdsz`, import.meta.url), { pkg: '@backprop/data', path, from: import.meta.url });
  return decodeDataset(await gunzip(bytes));
}
