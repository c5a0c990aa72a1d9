// Byte-level builders of small wasm modules for the relax_dot.mjs tests (not a
// test file itself), and the main test module: the marker called between
// instructions whose immediates hold bytes that look like calls.
import { encodeU32 as u32 } from './leb128.mjs';
import { MARKER_MODULE, MARKER_NAME, RELAXED_DOT_BYTES } from './relax_dot.mjs';

// ---- byte emitters ----
export { u32 };
// u32 padded to 5 bytes, as linkers leave relocated indices.
export const u32pad = (n) =>
  [0, 1, 2, 3, 4].map((i) => ((n >>> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0));
export const sleb = (v) => {
  v = BigInt(v);
  const out = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && (b & 0x40))) return [...out, b];
    out.push(b | 0x80);
  }
};
export const str = (s) => {
  const b = [...Buffer.from(s, 'utf8')];
  return [...u32(b.length), ...b];
};
export const vec = (items) => [...u32(items.length), ...items.flat()];
export const section = (id, content) => [id, ...u32(content.length), ...content];
export const wasm = (...sections) =>
  Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
// A body: vec of [count, type] local groups, code; `sizeBytes` overrides the size LEB.
export const body = (locals, code, sizeBytes = u32) => {
  const b = [...vec(locals.map(([n, t]) => [...u32(n), t])), ...code];
  return [...sizeBytes(b.length), ...b];
};

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const functype = (params, results) => [0x60, ...vec(params), ...vec(results)];
export const T_MARK = functype([V128, V128, V128], [V128]);
export const importFunc = (mod, name, type) => [...str(mod), ...str(name), 0x00, ...u32(type)];
export const importMarker = (type) => importFunc(MARKER_MODULE, MARKER_NAME, type);
export const call = (idx) => [0x10, ...u32(idx)];
export const v128const = (bytes16) => [0xfd, 0x0c, ...bytes16];
export const ZERO16 = new Array(16).fill(0);

export function relaxedSimdEnabled() {
  // (func (result v128) v128.const 0 x3, i32x4.relaxed_dot_i8x16_i7x16_add_s)
  const code = [0xfd, 0x0c, ...ZERO16, 0xfd, 0x0c, ...ZERO16, 0xfd, 0x0c, ...ZERO16,
    ...RELAXED_DOT_BYTES, 0x0b];
  return WebAssembly.validate(wasm(
    section(1, vec([functype([], [V128])])),
    section(3, vec([u32(0)])),
    section(10, vec([body([], code)])),
  ));
}
export const RELAXED = relaxedSimdEnabled();
export const NO_RELAXED = RELAXED ? false :
  'relaxed SIMD is off in this V8 (run node with --experimental-wasm-relaxed-simd)';

export const count = (bytes, seq) => {
  let n = 0;
  for (let i = 0; i + seq.length <= bytes.length; i++) {
    if (seq.every((b, k) => bytes[i + k] === b)) n++;
  }
  return n;
};

// ---- the main module ----
// Imports: table, global, env.other (func 0), the marker (func 1). Functions: run (2),
// helper (3). Types: 0 marker, 1..63 () -> (), 64 (i32) -> (i32), so the block type
// index 64 takes two s33 bytes (c0 00) and its first byte is not 0x40.
export const A_ADDR = 16;
export const B_ADDR = 32;
export const C_ADDR = 48;
export const OUT_ADDR = 64;
export const T_II = 64;
export const LANES = [16, 1, 18, 3, 20, 5, 22, 7, 24, 9, 26, 11, 28, 13, 30, 15]; // has "10 01"
export const B2 = [16, 1, 16, 1, 16, 1, 16, 1, 16, 1, 16, 1, 16, 1, 16, 1]; // "10 01" = call 1

export function buildMain(dot) {
  const types = [T_MARK, ...new Array(63).fill(functype([], [])), functype([I32], [I32])];
  const imports = [
    [...str('env'), ...str('tbl'), 0x01, FUNCREF, 0x01, 1, 2],
    [...str('env'), ...str('g'), 0x03, I32, 0x00],
    importFunc('env', 'other', T_II),
    importMarker(0),
  ];
  const load = (offset) => [0x20, 0x00, 0xfd, 0x00, 0x04, ...u32(offset)]; // v128.load
  const run = [
    ...load(A_ADDR), ...load(B_ADDR), ...load(C_ADDR),
    ...dot,
    0x21, 0x02, // local.set 2
    0x41, 0x10, 0x01, 0x1a, // i32.const 16; nop; drop  ("10 01" looks like call 1)
    0x41, ...sleb(OUT_ADDR),
    ...load(A_ADDR), ...load(A_ADDR), 0xfd, 0x0d, ...LANES, // i8x16.shuffle
    ...v128const(B2),
    0x20, 0x02,
    ...dot,
    0xfd, 0x0b, 0x04, 0x00, // v128.store
    0x20, 0x00,
    0x02, ...sleb(T_II), // block (type 64): (i32) -> (i32)
    0x41, ...sleb(0x810), 0x6a, // i32.const 0x810 (90 10); i32.add
    0x02, I32, // block (result i32)
    0x41, 0x07, 0x20, 0x00,
    0x0e, 0x01, 0x00, 0x01, // br_table [0] 1
    0x0b,
    0x6a,
    0x0b,
    ...call(0), // env.other
    ...call(3), // helper
    0x42, ...sleb(16), 0x1a, // i64.const 16; drop
    0x43, 0x10, 0x01, 0x00, 0x00, 0x1a, // f32.const; drop
    0x44, 0x10, 0x01, 0x10, 0x01, 0x10, 0x01, 0x00, 0x00, 0x1a, // f64.const; drop
    0x23, 0x00, 0x1a, // global.get 0; drop
    0x0b,
  ];
  const helper = [0x20, 0x00, 0x41, 0x10, 0x6a, 0x0b]; // p + 16
  return wasm(
    section(1, vec(types)),
    section(2, vec(imports)),
    section(3, vec([u32(T_II), u32(T_II)])),
    section(5, vec([[0x00, 1]])),
    section(7, vec([[...str('run'), 0x00, 2], [...str('mem'), 0x02, 0]])),
    section(10, vec([body([[1, I32], [1, V128]], run), body([], helper)])),
  );
}

// The relaxed dot where every implementation agrees (b lanes in 0..127).
export function dotAdd(a, b, c) {
  return [0, 1, 2, 3].map((i) => {
    let s = c[i];
    for (let j = 0; j < 4; j++) s += a[4 * i + j] * b[4 * i + j];
    return s | 0;
  });
}

// Imports `fillers` functions, then the marker; one () -> () function per entry of
// `bodies`: { dots, pad, sizeBytes }, with `dots` marker calls and `pad` nops.
export function buildSized(fillers, callBytes, bodies) {
  const imports = [];
  for (let i = 0; i < fillers; i++) imports.push(importFunc('f', `${i}`, 1));
  imports.push(importMarker(0));
  const code = bodies.map(({ dots, pad, sizeBytes }) => {
    const ops = [];
    for (let i = 0; i < dots; i++) {
      ops.push(...v128const(ZERO16), ...v128const(ZERO16), ...v128const(ZERO16));
      ops.push(...callBytes, 0x1a);
    }
    return body([], [...ops, ...new Array(pad).fill(0x01), 0x0b], sizeBytes);
  });
  return wasm(
    section(1, vec([T_MARK, functype([], [])])),
    section(2, vec(imports)),
    section(3, vec(bodies.map(() => u32(1)))),
    section(10, vec(code)),
  );
}

// One function using every immediate form the decoder knows, with `dot` inside.
export function buildCoverage(dot) {
  const V = v128const([0x10, 0x01, ...new Array(14).fill(0x7f)]);
  const i32 = (v) => [0x41, ...sleb(v)];
  const f32 = [0x43, 0x00, 0x00, 0x80, 0x3f];
  const f64 = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
  const drop = 0x1a;
  const dotCall = [...V, ...V, ...V, ...dot, drop];
  const loads = [];
  for (let op = 0x28; op <= 0x35; op++) loads.push(...i32(0), op, 0x00, ...u32(16), drop);
  const stores = [
    [0x36, i32(1)], [0x37, [0x42, 0x01]], [0x38, f32], [0x39, f64], [0x3a, i32(1)],
    [0x3b, i32(1)], [0x3c, [0x42, 0x01]], [0x3d, [0x42, 0x01]], [0x3e, [0x42, 0x01]],
  ].flatMap(([op, value]) => [...i32(0), ...value, op, 0x00, 0x10]);
  const simdLoads = [];
  for (let sub = 0; sub <= 10; sub++) simdLoads.push(...i32(0), 0xfd, sub, 0x00, 0x10, drop);
  const lanes = [
    [0x15, [], 15], [0x16, [], 0], [0x17, i32(1), 3], [0x18, [], 7], [0x19, [], 1],
    [0x1a, i32(1), 2], [0x1b, [], 3], [0x1c, i32(1), 0], [0x1d, [], 1], [0x1e, [0x42, 1], 0],
    [0x1f, [], 2], [0x20, f32, 3], [0x21, [], 1], [0x22, f64, 0],
  ].flatMap(([sub, arg, lane]) => [...V, ...arg, 0xfd, sub, lane, drop]);
  const laneMem = [
    [0x54, 15, true], [0x55, 7, true], [0x56, 3, true], [0x57, 1, true],
    [0x58, 15, false], [0x59, 7, false], [0x5a, 3, false], [0x5b, 1, false],
  ].flatMap(([sub, lane, isLoad]) =>
    [...i32(0), ...V, 0xfd, sub, 0x00, 0x10, lane, ...(isLoad ? [drop] : [])]);
  const code = [
    0x01, // nop
    0x02, 0x40, 0x0c, 0x00, 0x00, 0x0b, // block; br 0; unreachable; end
    0x03, 0x40, ...i32(0), 0x0d, 0x00, 0x0b, // loop; br_if 0; end
    ...i32(1), 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, // if; else; end
    ...i32(0), 0x04, I32, ...i32(1), 0x05, ...i32(2), 0x0b, drop, // if (result i32)
    0x02, 0x40, ...i32(0), 0x0e, 0x02, 0x00, 0x00, 0x00, 0x0b, // br_table
    ...dotCall,
    ...i32(0), 0x11, 0x01, 0x00, // call_indirect type 1 table 0
    ...i32(7), ...call(2), drop, // call tail
    ...i32(1), ...i32(2), ...i32(0), 0x1b, drop, // select
    ...i32(1), ...i32(2), ...i32(0), 0x1c, 0x01, I32, drop, // typed select
    ...i32(5), 0x21, 0x00, 0x20, 0x00, 0x22, 0x00, drop, // local.set/get/tee
    0x23, 0x00, 0x24, 0x00, // global.get/set
    ...i32(0), 0x25, 0x00, drop, // table.get
    ...i32(0), 0xd0, FUNCREF, 0x26, 0x00, // table.set
    ...loads, ...stores,
    0x3f, 0x00, drop, ...i32(0), 0x40, 0x00, drop, // memory.size/grow
    ...i32(-2147483648), drop, 0x42, ...sleb(-(2n ** 63n)), drop, // extreme LEBs
    ...i32(2147483647), drop, 0x42, ...sleb(2n ** 63n - 1n), drop,
    ...f32, drop, ...f64, drop,
    ...i32(1), 0x45, drop, ...i32(1), ...i32(2), 0x6a, drop, // i32.eqz, i32.add
    ...i32(1), 0xc0, drop, 0x42, 0x01, 0xc4, drop, // extend8_s, i64.extend32_s
    0xd0, FUNCREF, 0xd1, drop, 0xd2, 0x01, drop, // ref.null/is_null/func
    ...f32, 0xfc, 0x00, drop, ...f64, 0xfc, 0x07, drop, // trunc_sat
    ...i32(0), ...i32(0), ...i32(1), 0xfc, 0x08, 0x00, 0x00, // memory.init
    0xfc, 0x09, 0x00, // data.drop
    ...i32(0), ...i32(0), ...i32(1), 0xfc, 0x0a, 0x00, 0x00, // memory.copy
    ...i32(0), ...i32(0), ...i32(1), 0xfc, 0x0b, 0x00, // memory.fill
    ...i32(0), ...i32(0), ...i32(0), 0xfc, 0x0c, 0x00, 0x00, // table.init
    0xfc, 0x0d, 0x00, // elem.drop
    ...i32(0), ...i32(0), ...i32(0), 0xfc, 0x0e, 0x00, 0x00, // table.copy
    0xd0, FUNCREF, ...i32(1), 0xfc, 0x0f, 0x00, drop, // table.grow
    0xfc, 0x10, 0x00, drop, // table.size
    ...i32(0), 0xd0, FUNCREF, ...i32(0), 0xfc, 0x11, 0x00, // table.fill
    // Atomics (threads proposal; valid on an unshared memory too)
    ...i32(0), ...i32(1), 0xfe, 0x00, 0x02, 0x00, drop, // memory.atomic.notify
    ...i32(0), ...i32(0), 0x42, 0x00, 0xfe, 0x01, 0x02, 0x00, drop, // memory.atomic.wait32
    0xfe, 0x03, 0x00, // atomic.fence
    ...i32(0), 0xfe, 0x10, 0x02, 0x08, drop, // i32.atomic.load offset 8
    ...i32(0), ...i32(1), 0xfe, 0x1e, 0x02, 0x00, drop, // i32.atomic.rmw.add
    ...i32(0), ...i32(1), ...i32(2), 0xfe, 0x48, 0x02, 0x00, drop, // i32.atomic.rmw.cmpxchg
    ...i32(0), 0x42, 0x01, 0x42, 0x02, 0xfe, 0x4e, 0x02, 0x00, drop, // i64.atomic.rmw32.cmpxchg_u
    ...simdLoads,
    ...i32(0), ...V, 0xfd, 0x0b, 0x00, 0x10, // v128.store
    ...V, ...V, 0xfd, 0x0d, ...LANES, drop, // i8x16.shuffle
    ...V, ...V, 0xfd, 0x0e, drop, // i8x16.swizzle
    ...i32(1), 0xfd, 0x0f, drop, ...i32(1), 0xfd, 0x10, drop, ...i32(1), 0xfd, 0x11, drop,
    0x42, 0x01, 0xfd, 0x12, drop, ...f32, 0xfd, 0x13, drop, ...f64, 0xfd, 0x14, drop,
    ...lanes, ...laneMem,
    ...i32(0), 0xfd, 0x5c, 0x02, 0x10, drop, ...i32(0), 0xfd, 0x5d, 0x03, 0x10, drop,
    ...V, ...V, 0xfd, 0x23, drop, ...V, 0xfd, 0x4d, drop, ...V, ...V, ...V, 0xfd, 0x52, drop,
    ...V, 0xfd, 0x53, drop, ...V, 0xfd, 0x5e, drop, ...V, 0xfd, 0x62, drop,
    ...V, 0xfd, 0x81, 0x01, drop, ...V, ...V, 0xfd, 0xba, 0x01, drop,
    ...V, 0xfd, 0xff, 0x01, drop,
    ...dotCall,
    0x0b,
  ];
  // Tail calls: return_call and return_call_indirect.
  const tail = [0x20, 0x00, 0x12, 0x02, 0x20, 0x00, ...i32(0), 0x13, 0x02, 0x00, 0x0b];
  const locals = [[1, I32], [1, I64], [1, F32], [1, F64], [1, V128], [1, FUNCREF]];
  return wasm(
    section(1, vec([T_MARK, functype([], []), functype([I32], [I32])])),
    section(2, vec([importMarker(0)])),
    section(3, vec([[1], [2]])),
    section(4, vec([[FUNCREF, 0x00, 1]])),
    section(5, vec([[0x00, 1]])),
    section(6, vec([[I32, 0x01, 0x41, 0x00, 0x0b]])),
    section(9, vec([[0x01, 0x00, ...vec([[1]])]])), // passive elem: declares ref.func 1
    section(12, [1]), // data count
    section(10, vec([body(locals, code), body([], tail)])),
    section(11, vec([[0x01, ...vec([1, 2, 3])]])), // passive data
  );
}
