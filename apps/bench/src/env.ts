import os from 'node:os';
import { type WasmFeatures, wasmFeatures } from './wasm-features';

export interface Environment {
  runtime: 'node' | 'chromium';
  cpu: string;
  cores: number;
  node: string;
  v8: string;
  flags: string[];
  /** In a Chromium run: the browser's version and user agent (node and v8 are those of the driving process). */
  chromium?: string;
  userAgent?: string;
  wasm: WasmFeatures;
  date: string;
}

export function environment(): Environment {
  return {
    runtime: 'node',
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    v8: process.versions.v8,
    flags: process.execArgv,
    wasm: wasmFeatures(),
    date: new Date().toISOString(),
  };
}
