// The few parts of the WebAssembly binary format the loader reads and writes: unsigned LEB128 integers, the
// sections, and the code section's function bodies.

/** Reads unsigned LEB128 integers and bytes from `bytes`, starting at `at`. */
export class WasmReader {
  constructor(readonly bytes: Uint8Array, public at = 0) {}

  u32(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
    }
  }

  byte(): number {
    if (this.at >= this.bytes.length) throw new RangeError(`the WebAssembly binary ends early (at byte ${this.at})`);
    return this.bytes[this.at++]!;
  }
}

/** value as unsigned LEB128. */
export function encodeU32(value: number): number[] {
  const out: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    out.push(value === 0 ? low : low | 0x80);
  } while (value !== 0);
  return out;
}

/** A section: its id and where its contents lie in the module's bytes. */
export interface Section {
  id: number;
  start: number;
  end: number;
}

const HEADER_BYTES = 8; // magic and version

/** The module's sections in order. */
export function sectionsOf(module: Uint8Array): Section[] {
  const reader = new WasmReader(module, HEADER_BYTES);
  const sections: Section[] = [];
  while (reader.at < module.length) {
    const id = reader.byte();
    const size = reader.u32();
    sections.push({ id, start: reader.at, end: reader.at + size });
    reader.at += size;
  }
  return sections;
}

export const IMPORT_SECTION = 2;
export const CODE_SECTION = 10;

/** The function bodies of the module's code section, in function order. */
export function functionBodies(module: Uint8Array): Uint8Array[] {
  const code = sectionsOf(module).find((s) => s.id === CODE_SECTION);
  if (!code) throw new Error('the WebAssembly module has no code section');
  const reader = new WasmReader(module, code.start);
  return Array.from({ length: reader.u32() }, () => {
    const size = reader.u32();
    reader.at += size;
    return module.subarray(reader.at - size, reader.at);
  });
}

/** The module with its code section's function bodies replaced by `bodies` (every other section as it was). */
export function withFunctionBodies(module: Uint8Array, bodies: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const parts: (Uint8Array | number[])[] = [module.subarray(0, HEADER_BYTES)];
  for (const { id, start, end } of sectionsOf(module)) {
    if (id !== CODE_SECTION) {
      parts.push([id, ...encodeU32(end - start)], module.subarray(start, end));
      continue;
    }
    const contents = [encodeU32(bodies.length), ...bodies.flatMap((body) => [encodeU32(body.length), body])];
    parts.push([id, ...encodeU32(contents.reduce((n, part) => n + part.length, 0))], ...contents);
  }
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
