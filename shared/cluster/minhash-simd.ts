/**
 * MinHash with WebAssembly SIMD: four permutations per 128-bit lane group, the same values as the
 * scalar path in minhash.ts (least fmix32(hash ^ seed), unsigned). The module is tiny and assembled
 * here from its instructions, so there is no binary to trust. Memory layout:
 *
 *   [0, 512)      the 128 permutation seeds (int32)
 *   [512, 1024)   the result, one uint32 per permutation
 *   [1024, …)     the input hashes (int32), grown as needed
 */

const SEEDS_AT = 0;
const OUT_AT = 512;
const HASHES_AT = 1024;
/** Permutations the seed table holds (more are left to the scalar path). */
export const SIMD_MAX_PERMUTATIONS = 128;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** Opcodes used (core and SIMD-prefixed). */
const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], end: [0x0b], br: (d: number) => [0x0c, d], brIf: (d: number) => [0x0d, d],
  get: (i: number) => [0x20, i], set: (i: number) => [0x21, i], tee: (i: number) => [0x22, i],
  i32Load: [0x28, 2, 0], i32Const: (v: number) => [0x41, ...sleb(v)], i32Add: [0x6a], i32Shl: [0x74], i32GeU: [0x4f],
  v128Load: (offset: number) => [0xfd, 0x00, 4, ...uleb(offset)], v128Store: (offset: number) => [0xfd, 0x0b, 4, ...uleb(offset)],
  v128Splat32: (v: number) => [0xfd, 0x0c, ...[0, 1, 2, 3].flatMap(() => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff])],
  i32x4Splat: [0xfd, 0x11], v128Xor: [0xfd, 0x51], i32x4ShrU: [0xfd, ...uleb(0xad)], i32x4Mul: [0xfd, ...uleb(0xb5)], i32x4MinU: [0xfd, ...uleb(0xb7)],
};

/** `minhash(n, groups)`: for each group g of four seeds, out[g] = lane-wise least fmix32(hash ^ seed) over the n hashes. */
function moduleBytes(): Uint8Array {
  const [n, groups, g, j, end, seed, min, a] = [0, 1, 2, 3, 4, 5, 6, 7];
  const shiftXor = (bits: number) => [...op.get(a), ...op.get(a), ...op.i32Const(bits), ...op.i32x4ShrU, ...op.v128Xor, ...op.set(a)];
  const mul = (c: number) => [...op.get(a), ...op.v128Splat32(c), ...op.i32x4Mul, ...op.set(a)];
  const body = [
    2, 3, 0x7f, 3, 0x7b, // locals: g, j, end (i32); seed, min, a (v128)
    ...op.get(n), ...op.i32Const(2), ...op.i32Shl, ...op.i32Const(HASHES_AT), ...op.i32Add, ...op.set(end),
    ...op.block, ...op.loop,
    ...op.get(g), ...op.get(groups), ...op.i32GeU, ...op.brIf(1),
    ...op.get(g), ...op.i32Const(4), ...op.i32Shl, ...op.v128Load(SEEDS_AT), ...op.set(seed),
    ...op.v128Splat32(-1), ...op.set(min),
    ...op.i32Const(HASHES_AT), ...op.set(j),
    ...op.block, ...op.loop,
    ...op.get(j), ...op.get(end), ...op.i32GeU, ...op.brIf(1),
    ...op.get(j), ...op.i32Load, ...op.i32x4Splat, ...op.get(seed), ...op.v128Xor, ...op.set(a),
    ...shiftXor(16), ...mul(0x85ebca6b), ...shiftXor(13), ...mul(0xc2b2ae35), ...shiftXor(16),
    ...op.get(min), ...op.get(a), ...op.i32x4MinU, ...op.set(min),
    ...op.get(j), ...op.i32Const(4), ...op.i32Add, ...op.set(j),
    ...op.br(0), ...op.end, ...op.end,
    ...op.get(g), ...op.i32Const(4), ...op.i32Shl, ...op.get(min), ...op.v128Store(OUT_AT),
    ...op.get(g), ...op.i32Const(1), ...op.i32Add, ...op.set(g),
    ...op.br(0), ...op.end, ...op.end,
    ...op.end,
  ];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...name('mem'), 2, 0, ...name('minhash'), 0, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

/** What is used of the WebAssembly API (the project's lib settings do not declare it). */
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

interface SimdModule {
  memory: WasmMemory;
  minhash: (n: number, groups: number) => void;
}

let instance: SimdModule | null | undefined;

/** The instantiated module with `seeds` in place; null when the runtime has no WebAssembly SIMD. */
function simdModule(seeds: Int32Array): SimdModule | null {
  if (instance !== undefined) return instance;
  try {
    const bytes = moduleBytes();
    const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!littleEndian || !wasm || !wasm.validate(bytes)) return (instance = null);
    const exports = new wasm.Instance(new wasm.Module(bytes)).exports as unknown as { mem: WasmMemory; minhash: SimdModule['minhash'] };
    new Int32Array(exports.mem.buffer, SEEDS_AT, SIMD_MAX_PERMUTATIONS).set(seeds.subarray(0, SIMD_MAX_PERMUTATIONS));
    instance = { memory: exports.mem, minhash: exports.minhash };
  } catch {
    instance = null;
  }
  return instance;
}

/**
 * MinHash values 0..count-1 (count ≤ 128) of `hashes[0..n)` with the permutation `seeds`, or undefined
 * when WebAssembly SIMD is not available (the caller then uses the scalar path).
 */
export function minhashSimd(hashes: Int32Array, n: number, count: number, seeds: Int32Array): number[] | undefined {
  const mod = simdModule(seeds);
  if (!mod || count > SIMD_MAX_PERMUTATIONS) return undefined;
  const needed = HASHES_AT + n * 4;
  if (needed > mod.memory.buffer.byteLength) mod.memory.grow(Math.ceil((needed - mod.memory.buffer.byteLength) / 65536));
  new Int32Array(mod.memory.buffer, HASHES_AT, n).set(n === hashes.length ? hashes : hashes.subarray(0, n));
  mod.minhash(n, (count + 3) >> 2);
  const result = new Uint32Array(mod.memory.buffer, OUT_AT, count);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = result[i]!;
  return out;
}
