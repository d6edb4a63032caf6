// The relaxed-SIMD build ships as a patch of the SIMD128 build. The two differ only inside the function bodies that
// use relaxed instructions (fused multiply-adds), and there only in a few places each, so the patch
// lists, for each body that differs, the byte edits that turn the SIMD128 body into the relaxed one. Inlined, the
// second build costs under half a kilobyte gzipped instead of 34 kB.
//
// A patch (every integer unsigned LEB128): the number of patched bodies; for each, its function index and its number
// of edits; for each edit, the bytes of the base to keep, the bytes of the base to drop, then the count and bytes
// to insert. What follows the last edit is kept.
import { CODE_SECTION, encodeU32, functionBodies, sectionsOf, WasmReader, withFunctionBodies } from './wasm-binary';

interface Edit {
  keep: number;
  drop: number;
  insert: number[];
}

/** The patch that turns `base` into `target`; throws if they differ anywhere but in function bodies. */
export function diffFunctionBodies(base: Uint8Array, target: Uint8Array): Uint8Array<ArrayBuffer> {
  const others = (module: Uint8Array): { id: number; bytes: Uint8Array }[] =>
    sectionsOf(module).filter((s) => s.id !== CODE_SECTION).map((s) => ({ id: s.id, bytes: module.subarray(s.start, s.end) }));
  const [baseOthers, targetOthers] = [others(base), others(target)];
  const sameOthers = baseOthers.length === targetOthers.length &&
    baseOthers.every((section, i) => section.id === targetOthers[i]!.id && sameBytes(section.bytes, targetOthers[i]!.bytes));
  if (!sameOthers) throw new Error('the two modules differ outside their function bodies, so one cannot ship as a patch of the other');
  const [from, to] = [functionBodies(base), functionBodies(target)];
  if (from.length !== to.length) throw new Error(`the two modules have ${from.length} and ${to.length} functions, so one cannot ship as a patch of the other`);
  const patched = to.map((body, index) => ({ index, edits: editsBetween(from[index]!, body) })).filter(({ edits }) => edits.length > 0);
  return Uint8Array.from([
    ...encodeU32(patched.length),
    ...patched.flatMap(({ index, edits }) => [
      ...encodeU32(index), ...encodeU32(edits.length),
      ...edits.flatMap(({ keep, drop, insert }) => [...encodeU32(keep), ...encodeU32(drop), ...encodeU32(insert.length), ...insert]),
    ]),
  ]);
}

/** `base` with the patch's edits made to its function bodies. */
export function patchFunctionBodies(base: Uint8Array, patch: Uint8Array): Uint8Array<ArrayBuffer> {
  const bodies = functionBodies(base);
  const reader = new WasmReader(patch);
  for (let count = reader.u32(); count > 0; count--) {
    const index = reader.u32();
    const body = bodies[index];
    if (!body) throw new RangeError(`the module patch does not fit its base: it edits function ${index} of ${bodies.length}`);
    const out: number[] = [];
    let at = 0;
    for (let edits = reader.u32(); edits > 0; edits--) {
      const keep = reader.u32();
      const drop = reader.u32();
      if (at + keep + drop > body.length) throw new RangeError(`the module patch does not fit its base: it edits past the end of function ${index}'s ${body.length} bytes`);
      out.push(...body.subarray(at, at + keep));
      at += keep + drop;
      for (let insert = reader.u32(); insert > 0; insert--) out.push(reader.byte());
    }
    out.push(...body.subarray(at));
    bodies[index] = Uint8Array.from(out);
  }
  return withFunctionBodies(base, bodies);
}

/** The shortest edit script from a to b (Myers' O(ND) difference algorithm), as keep/drop/insert runs. */
function editsBetween(a: Uint8Array, b: Uint8Array): Edit[] {
  const offset = a.length + b.length;
  const furthest = new Int32Array(2 * offset + 2);
  const trace: Int32Array[] = []; // furthest x on each diagonal k before step d, for k in [-d, d]
  search: for (let d = 0; d <= offset; d++) {
    trace.push(furthest.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && furthest[offset + k - 1]! < furthest[offset + k + 1]!);
      let x = down ? furthest[offset + k + 1]! : furthest[offset + k - 1]! + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= a.length && y >= b.length) break search;
    }
  }
  // Walk back from the end: each step d is a run of matches, then one insertion (down) or one deletion (right).
  const steps: ('keep' | 'drop' | number)[] = [];
  let [x, y] = [a.length, b.length];
  for (let d = trace.length - 1; d > 0; d--) {
    const before = trace[d]!;
    const at = (k: number): number => before[k + d]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const afterEdit = down ? at(k + 1) : at(k - 1) + 1; // x once this step's insertion or deletion is made
    while (x > afterEdit) {
      steps.push('keep');
      x--;
      y--;
    }
    if (down) steps.push(b[--y]!);
    else {
      steps.push('drop');
      x--;
    }
  }
  for (; x > 0; x--) steps.push('keep');
  steps.reverse();
  // Runs: matches to keep, then the drops and insertions up to the next match.
  const edits: Edit[] = [];
  for (let i = 0; i < steps.length;) {
    const edit: Edit = { keep: 0, drop: 0, insert: [] };
    for (; steps[i] === 'keep'; i++) edit.keep++;
    if (i === steps.length) break;
    for (let step = steps[i]; step !== undefined && step !== 'keep'; step = steps[++i]) {
      if (step === 'drop') edit.drop++;
      else edit.insert.push(step);
    }
    edits.push(edit);
  }
  return edits;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
