// Tests for relax_dot.mjs on modules built byte by byte here.
//   node --test tools/wasm/relax_dot.test.mjs
//   node --experimental-wasm-relaxed-simd --test tools/wasm/relax_dot.test.mjs
// Without the flag V8 cannot validate or run the relaxed instruction, so the rewritten
// bytes are only compared with modules built with `fd 93 02` in place of the calls; with
// it the rewritten modules are also validated and run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

import {
  MARKER_MODULE, MARKER_NAME, RELAXED_DOT_BYTES, WasmFormatError, markerKeyFromGlue, relaxDotCalls,
} from './relax_dot.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOOL = path.join(HERE, 'relax_dot.mjs');
const BUILD_WASM = path.join(HERE, '..', '..', 'build', 'wasm');

// ---- byte emitters ----
const u32 = (n) => {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
// u32 padded to 5 bytes, as linkers leave relocated indices.
const u32pad = (n) => [0, 1, 2, 3, 4].map((i) => ((n >>> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0));
const sleb = (v) => {
  v = BigInt(v);
  const out = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && (b & 0x40))) return [...out, b];
    out.push(b | 0x80);
  }
};
const str = (s) => {
  const b = [...Buffer.from(s, 'utf8')];
  return [...u32(b.length), ...b];
};
const vec = (items) => [...u32(items.length), ...items.flat()];
const section = (id, content) => [id, ...u32(content.length), ...content];
const wasm = (...sections) =>
  Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
// A body: vec of [count, type] local groups, code; `sizeBytes` overrides the size LEB.
const body = (locals, code, sizeBytes = u32) => {
  const b = [...vec(locals.map(([n, t]) => [...u32(n), t])), ...code];
  return [...sizeBytes(b.length), ...b];
};

const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const V128 = 0x7b;
const FUNCREF = 0x70;
const functype = (params, results) => [0x60, ...vec(params), ...vec(results)];
const T_MARK = functype([V128, V128, V128], [V128]);
const importFunc = (mod, name, type) => [...str(mod), ...str(name), 0x00, ...u32(type)];
const importMarker = (type) => importFunc(MARKER_MODULE, MARKER_NAME, type);
const call = (idx) => [0x10, ...u32(idx)];
const v128const = (bytes16) => [0xfd, 0x0c, ...bytes16];
const ZERO16 = new Array(16).fill(0);

function relaxedSimdEnabled() {
  // (func (result v128) v128.const 0 x3, i32x4.relaxed_dot_i8x16_i7x16_add_s)
  const code = [0xfd, 0x0c, ...ZERO16, 0xfd, 0x0c, ...ZERO16, 0xfd, 0x0c, ...ZERO16,
    ...RELAXED_DOT_BYTES, 0x0b];
  return WebAssembly.validate(wasm(
    section(1, vec([functype([], [V128])])),
    section(3, vec([u32(0)])),
    section(10, vec([body([], code)])),
  ));
}
const RELAXED = relaxedSimdEnabled();
const NO_RELAXED = RELAXED ? false :
  'relaxed SIMD is off in this V8 (run node with --experimental-wasm-relaxed-simd)';

const count = (bytes, seq) => {
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
const A_ADDR = 16;
const B_ADDR = 32;
const C_ADDR = 48;
const OUT_ADDR = 64;
const T_II = 64;
const LANES = [16, 1, 18, 3, 20, 5, 22, 7, 24, 9, 26, 11, 28, 13, 30, 15]; // has "10 01"
const B2 = [16, 1, 16, 1, 16, 1, 16, 1, 16, 1, 16, 1, 16, 1, 16, 1]; // "10 01" = call 1

function buildMain(dot) {
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
function dotAdd(a, b, c) {
  return [0, 1, 2, 3].map((i) => {
    let s = c[i];
    for (let j = 0; j < 4; j++) s += a[4 * i + j] * b[4 * i + j];
    return s | 0;
  });
}

test('main module: only marker calls become fd 93 02', () => {
  const original = buildMain(call(1));
  const expected = buildMain(RELAXED_DOT_BYTES);
  assert.ok(WebAssembly.validate(original), 'hand-built module should validate');
  assert.ok(count(original, [0x10, 0x01]) > 2, 'the tricky "10 01" bytes are there');
  const r = relaxDotCalls(original);
  assert.equal(r.markerIndex, 1);
  assert.equal(r.calls, 2);
  assert.equal(r.functions, 1);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.bytes, expected);
  assert.equal(count(r.bytes, [0x10, 0x00]), 1, 'call 0 stays');
  assert.equal(count(r.bytes, [0x10, 0x03]), 1, 'call 3 stays');
  const again = relaxDotCalls(r.bytes);
  assert.equal(again.calls, 0, 'a second run finds nothing');
  assert.deepEqual(again.bytes, r.bytes);
});

// V8 11.3's baseline compiler (Liftoff) gets this instruction wrong: on x64 it returns
// dot + dot and drops c, while TurboFan follows the spec. So the semantic check compiles
// with TurboFan only (it is about our rewrite, not the engine) and reports what Liftoff
// does. The flag must hold until the code has run (functions compile lazily), and modules
// must be new bytes after a flag change (V8 caches compiled modules).
function withTurbofan(fn) {
  v8.setFlagsFromString('--no-liftoff');
  try {
    return fn();
  } finally {
    if (!process.execArgv.includes('--no-liftoff')) v8.setFlagsFromString('--liftoff');
  }
}

// (func (export "f") (result i32) lane 0 of relaxed_dot(e0, e0, [c, 0, 0, 0])), e0 = lane0 1.
function laneZeroOfDot(c) {
  const e0 = v128const([1, ...ZERO16.slice(1)]);
  const code = [...e0, ...e0, ...v128const([...new Uint8Array(Int32Array.of(c, 0, 0, 0).buffer)]),
    ...RELAXED_DOT_BYTES, 0xfd, 0x1b, 0x00, 0x0b]; // i32x4.extract_lane 0
  const bytes = wasm(
    section(1, vec([functype([], [I32])])),
    section(3, vec([[0]])),
    section(7, vec([[...str('f'), 0x00, 0]])),
    section(10, vec([body([], code)])),
  );
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f();
}

test('main module validates and computes the dot', { skip: NO_RELAXED }, (t) => {
  const { bytes } = relaxDotCalls(buildMain(call(1)));
  assert.ok(WebAssembly.validate(bytes));
  const baseline = laneZeroOfDot(1000);
  if (baseline !== 1001) {
    t.diagnostic(`V8 ${process.versions.v8} default tier: relaxed_dot(1, 1, 1000) = ` +
      `${baseline}, not 1001 (engine bug; the checks below use TurboFan)`);
  }
  withTurbofan(() => {
    assert.equal(laneZeroOfDot(2000), 2001, 'TurboFan follows the spec');
    runMain(bytes);
  });
});

function runMain(bytes) {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: {
      tbl: new WebAssembly.Table({ element: 'anyfunc', initial: 1, maximum: 2 }),
      g: 5,
      other: (x) => x * 3,
      [MARKER_NAME]: () => assert.fail('the marker import must not be called'),
    },
  });
  const mem = instance.exports.mem.buffer;
  const a = Int8Array.from({ length: 16 }, (_, k) => ((k * 37 + 128) % 256) - 128);
  a[0] = -128;
  a[1] = 127;
  const b = Int8Array.from({ length: 16 }, (_, k) => (k * 29 + 5) % 128);
  b[2] = 127;
  const c = Int32Array.from([1000, -2000, 123456, -7]);
  new Int8Array(mem, A_ADDR, 16).set(a);
  new Int8Array(mem, B_ADDR, 16).set(b);
  new Int32Array(mem, C_ADDR, 4).set(c);

  // br_table path: p + 0x810 + 7, then other (x3), then helper (+16).
  assert.equal(instance.exports.run(0), (0x810 + 7) * 3 + 16);
  const v = dotAdd(a, b, c);
  const a2 = LANES.map((l) => a[l % 16]);
  assert.deepEqual([...new Int32Array(mem, OUT_ADDR, 4)], dotAdd(a2, B2, v));
}

// ---- LEB sizes ----
// Imports `fillers` functions, then the marker; one () -> () function per entry of
// `bodies`: { dots, pad, sizeBytes }, with `dots` marker calls and `pad` nops.
function buildSized(fillers, callBytes, bodies) {
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

// Byte length of the first code body's size LEB and of the code section's size LEB.
function codeLebLengths(bytes) {
  let at = 8;
  for (;;) {
    const id = bytes[at++];
    let size = 0;
    let n = 0;
    let b;
    do {
      b = bytes[at + n];
      size += (b & 0x7f) * 128 ** n;
      n++;
    } while (b & 0x80);
    if (id === 10) {
      let k = at + n + 1; // past the body count (one byte here)
      const start = k;
      while (bytes[k] & 0x80) k++;
      return { section: n, body: k + 1 - start };
    }
    at += n + size;
  }
}

function checkSized(name, fillers, callBytes, bodies, want) {
  const original = buildSized(fillers, callBytes, bodies);
  // The expected module has fd 93 02 and minimal size LEBs in every changed body.
  const expected = buildSized(fillers, RELAXED_DOT_BYTES,
    bodies.map((b) => (b.dots ? { ...b, sizeBytes: u32 } : b)));
  assert.ok(WebAssembly.validate(original), `${name}: original validates`);
  const r = relaxDotCalls(original);
  assert.equal(r.markerIndex, fillers, name);
  assert.equal(r.calls, bodies.reduce((n, b) => n + b.dots, 0), name);
  assert.equal(r.functions, bodies.filter((b) => b.dots).length, name);
  assert.deepEqual(r.bytes, expected, name);
  if (want) {
    assert.deepEqual(codeLebLengths(original), want.before, `${name}: LEBs before`);
    assert.deepEqual(codeLebLengths(r.bytes), want.after, `${name}: LEBs after`);
  }
  if (RELAXED) assert.ok(WebAssembly.validate(r.bytes), `${name}: rewritten validates`);
}

// The nop count that makes a buildSized body `size` bytes long: the locals vec and the
// end take 2 bytes, each dot three v128.const (54), the call and a drop.
const padFor = (size, dots, callBytes) => size - 2 - dots * (55 + callBytes.length);

test('body and section sizes grow and shrink across LEB boundaries', () => {
  // Marker index 0: the call is 2 bytes, fd 93 02 is 3. The code section holds the body
  // count, the body size and the body.
  const c0 = call(0);
  checkSized('section size 127 -> 128', 0, c0, [{ dots: 1, pad: padFor(125, 1, c0) }],
    { before: { section: 1, body: 1 }, after: { section: 2, body: 1 } });
  checkSized('body size 127 -> 129', 0, c0, [{ dots: 2, pad: padFor(127, 2, c0) }],
    { before: { section: 2, body: 1 }, after: { section: 2, body: 2 } });
  // A padded 5-byte call index shrinks each call by 3 bytes.
  const p0 = [0x10, ...u32pad(0)];
  checkSized('body size 128 -> 125', 0, p0, [{ dots: 1, pad: padFor(128, 1, p0) }],
    { before: { section: 2, body: 2 }, after: { section: 1, body: 1 } });
  // Marker index 200: two-byte LEB, same length as fd 93 02.
  checkSized('marker index 200', 200, call(200), [{ dots: 3, pad: 0 }]);
  // Marker index 16400: three-byte LEB, each call shrinks by one byte.
  checkSized('marker index 16400', 16400, call(16400), [{ dots: 2, pad: 64 }]);
});

test('unchanged bodies stay byte-identical, padded size LEB included', () => {
  const pad5 = u32pad;
  const bodies = [
    { dots: 0, pad: 3, sizeBytes: pad5 },
    { dots: 2, pad: 0, sizeBytes: pad5 },
    { dots: 0, pad: 200 },
    { dots: 1, pad: 1 },
  ];
  checkSized('mixed bodies', 130, [0x10, ...u32pad(130)], bodies);
  const original = buildSized(130, call(130), bodies);
  const r = relaxDotCalls(original);
  // Body 0 is 5 bytes: the locals vec, 3 nops and the end.
  assert.equal(count(r.bytes, pad5(5)), 1, 'the unchanged padded size is kept');
});

// ---- every immediate form the decoder knows ----
function buildCoverage(dot) {
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

test('decodes every supported immediate form', () => {
  const original = buildCoverage(call(0));
  assert.ok(WebAssembly.validate(original), 'hand-built coverage module validates');
  const r = relaxDotCalls(original);
  assert.equal(r.calls, 2);
  assert.equal(r.functions, 1);
  assert.deepEqual(r.bytes, buildCoverage(RELAXED_DOT_BYTES));
  if (RELAXED) assert.ok(WebAssembly.validate(r.bytes));
});

test('relaxed SIMD ops already in the input are decoded', () => {
  const V = v128const(ZERO16);
  const build = (dot) => {
    const relaxed = [];
    for (const [sub, args] of [[0x100, 2], [0x109, 3], [0x112, 2], [0x113, 3]]) {
      for (let i = 0; i < args; i++) relaxed.push(...V);
      relaxed.push(0xfd, ...u32(sub), 0x1a);
    }
    return wasm(
      section(1, vec([T_MARK, functype([], [])])),
      section(2, vec([importFunc('env', 'x', 1), importMarker(0)])),
      section(3, vec([[1]])),
      section(10, vec([body([], [...relaxed, ...V, ...V, ...V, ...dot, 0x1a, 0x0b])])),
    );
  };
  const r = relaxDotCalls(build(call(1)));
  assert.equal(r.calls, 1);
  assert.deepEqual(r.bytes, build(RELAXED_DOT_BYTES));
  if (RELAXED) assert.ok(WebAssembly.validate(r.bytes));
});

// ---- errors ----
// One module with the marker whose single body is `code` (plus a final end).
const withBody = (code, locals = []) => wasm(
  section(1, vec([T_MARK, functype([], [])])),
  section(2, vec([importMarker(0)])),
  section(3, vec([[1]])),
  section(10, vec([body(locals, code)])),
);
// The WasmFormatError message for `bytes`; fails the test if there is none.
function errorOf(bytes) {
  try {
    relaxDotCalls(bytes);
  } catch (e) {
    if (e instanceof WasmFormatError) return e.message;
    throw e;
  }
  return assert.fail('expected a WasmFormatError');
}
const rejects = (bytes, re) => assert.match(errorOf(bytes), re);

test('unsupported opcodes are errors naming the opcode and offset', () => {
  // [code, message, where in `code` the error points]
  const cases = [
    [[0xfe, 0x00, 0x02, 0x00], /unsupported opcode 0xfe /, 0], // atomics
    [[0x06, 0x40], /unsupported opcode 0x6 /, 0], // try
    [[0xfd, 0x9a, 0x01], /unsupported SIMD opcode 0xfd 0x9a /, 0], // unassigned SIMD
    [[0xfd, 0x94, 0x02], /unsupported SIMD opcode 0xfd 0x114 /, 0],
    [[0xfc, 0x12, 0x00], /unsupported opcode 0xfc 0x12 /, 0],
    [[0x41, 0x00, 0x28, 0x42, 0x00, 0x00], /multi-memory/, 3], // memarg with memory index
    [[0x3f, 0x01], /memory index other than 0/, 1],
  ];
  for (const [code, re, rel] of cases) {
    const bytes = withBody([0x01, ...code, 0x0b]);
    const at = bytes.length - 1 - code.length + rel; // the code sits just before the end
    const message = errorOf(bytes);
    assert.match(message, re);
    assert.match(message, /^code body 0 \(function 1\): /);
    assert.match(message, new RegExp(` at byte offset ${at} \\(0x${at.toString(16)}\\)$`));
  }
});

test('malformed modules are errors', () => {
  rejects(withBody([0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b]), /bad LEB128 function index/);
  rejects(withBody([0x10, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0b]), /bad LEB128 function index/);
  rejects(withBody([0x41, 0x80, 0x80, 0x80, 0x80, 0x08, 0x1a, 0x0b]), /bad LEB128 i32.const/);
  rejects(withBody([0x0b, 0x01]), /ends 1 bytes before its declared size/);
  rejects(withBody([0x01]), /no final end/);
  rejects(withBody([0x02, 0x40, 0x01, 0x0b]), /no final end/);
  rejects(withBody([0xfd, 0x0c, 1, 2, 3, 0x0b]), /v128.const immediate runs past the end/);
  rejects(withBody([0x0b], [[1, 0x55]]), /unknown local type 0x55/);
  rejects(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x02, 0, 0, 0]), /bad magic or version/);
  rejects(wasm([1, 5, 0]), /section 1 \(size 5\) overruns the module end/);
  rejects(wasm(section(14, [])), /unknown section id 14/);
  rejects(wasm(section(1, vec([T_MARK])), section(2, vec([importMarker(0), importMarker(0)]))),
    /imported twice/);
  rejects(wasm(section(1, vec([functype([I32], [I32])])), section(2, vec([importMarker(0)]))),
    /which is \(i32\) -> \(i32\); expected \(v128, v128, v128\) -> \(v128\)/);
  rejects(wasm(section(2, vec([importMarker(0)]))), /no type section/);
  rejects(withBody([0xd2, 0x00, 0x1a, 0x0b]), /ref.func of env.qlite/);
  rejects(withBody([0x12, 0x00, 0x0b]), /return_call of env.qlite/);
});

test('custom sections are copied verbatim; stale debug info is reported', () => {
  const V = v128const(ZERO16);
  const custom = (name) => section(0, [...str(name), 0x10, 0x01, 0x0b]);
  const build = (dot, name) => Uint8Array.from([
    ...withBody([...V, ...V, ...V, ...dot, 0x1a, 0x0b]), ...custom(name),
  ]);
  let r = relaxDotCalls(build(call(0), 'name'));
  assert.deepEqual(r.bytes, build(RELAXED_DOT_BYTES, 'name'));
  assert.deepEqual(r.warnings, []);
  r = relaxDotCalls(build(call(0), '.debug_info'));
  assert.deepEqual(r.bytes, build(RELAXED_DOT_BYTES, '.debug_info'));
  assert.match(r.warnings.join(), /stale: \.debug_info/);
});

test('every truncation is an error or a section boundary, never a crash', () => {
  const full = buildCoverage(call(0));
  const boundaries = new Set([8]);
  for (let at = 8; at < full.length;) {
    let size = 0;
    let n = 0;
    let b;
    do {
      b = full[at + 1 + n];
      size += (b & 0x7f) * 128 ** n;
      n++;
    } while (b & 0x80);
    at += 1 + n + size;
    boundaries.add(at);
  }
  for (let len = 0; len < full.length; len++) {
    const cut = full.subarray(0, len);
    if (boundaries.has(len)) {
      relaxDotCalls(cut);
    } else {
      assert.throws(() => relaxDotCalls(cut), WasmFormatError, `cut at ${len}`);
    }
  }
});

test('corrupted bytes give a result or a WasmFormatError, never another exception', () => {
  const full = buildMain(call(1));
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < 3000; i++) {
    const bytes = full.slice();
    for (let k = rand(3) + 1; k > 0; k--) bytes[8 + rand(bytes.length - 8)] = rand(256);
    try {
      relaxDotCalls(bytes);
    } catch (e) {
      if (!(e instanceof WasmFormatError)) throw e;
    }
  }
});

// ---- the command line ----
function runCli(args) {
  return spawnSync(process.execPath, [TOOL, ...args], { encoding: 'utf8' });
}

test('CLI: rewrite, missing marker, --expect-calls, malformed input', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relax_dot-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name, bytes) => {
    const p = path.join(dir, name);
    if (bytes) fs.writeFileSync(p, bytes);
    return p;
  };
  const out = file('out.wasm');

  const main = file('main.wasm', buildMain(call(1)));
  let r = runCli([main, out, '--expect-calls']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `relax_dot: 2 calls rewritten in 1 functions (${main} -> ${out})\n`);
  assert.deepEqual(new Uint8Array(fs.readFileSync(out)), buildMain(RELAXED_DOT_BYTES));

  const noMarker = file('plain.wasm', wasm(
    section(1, vec([functype([], [])])),
    section(2, vec([importFunc('env', 'something_else', 0)])),
    section(3, vec([[0]])),
    section(10, vec([body([], [...call(0), 0x0b])])),
  ));
  fs.rmSync(out);
  r = runCli([noMarker, out, '--expect-calls']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /does not import env\.qlite_relaxed_dot_i8x16_i7x16_add_s/);
  assert.ok(!fs.existsSync(out), 'no output on failure');
  r = runCli([noMarker, out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /does not import .*; copied unchanged/);
  assert.deepEqual(fs.readFileSync(out), fs.readFileSync(noMarker));

  const uncalled = file('uncalled.wasm', buildSized(0, call(0), [{ dots: 0, pad: 1 }]));
  r = runCli([uncalled, out, '--expect-calls']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /imports env\.qlite_\w+ \(function 0\) but never calls it/);
  r = runCli([uncalled, out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /0 calls rewritten in 0 functions/);

  const truncated = file('truncated.wasm', buildMain(call(1)).subarray(0, 200));
  r = runCli([truncated, out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^relax_dot: error: .*truncated\.wasm: .*overruns .*at byte offset \d+/);

  const badOp = file('badop.wasm', withBody([0xfe, 0x00, 0x02, 0x00, 0x0b]));
  r = runCli([badOp, out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unsupported opcode 0xfe at byte offset \d+/);

  assert.equal(runCli([main]).status, 1, 'usage error');
  assert.equal(runCli([file('missing.wasm'), out]).status, 1, 'unreadable input');
});

// ---- the real build output, when there is one ----
// qlite.wasm as Emscripten links it (import names shortened): its glue names the marker,
// the rewrite finds calls, gives the build's qlite.relaxed.wasm byte for byte, and
// validates where relaxed SIMD does.
test('build/wasm/web/qlite.wasm, patched through its glue', (t) => {
  const web = path.join(BUILD_WASM, 'web');
  const files = ['qlite.wasm', 'qlite.js', 'qlite.relaxed.wasm'].map((f) => path.join(web, f));
  if (!files.every((f) => fs.existsSync(f))) {
    t.skip(`no wasm build in ${web} (bash scripts/build.sh wasm)`);
    return;
  }
  const [wasm, glue, relaxed] = files;
  const key = markerKeyFromGlue(fs.readFileSync(glue, 'utf8'));
  assert.equal(relaxDotCalls(fs.readFileSync(wasm)).markerIndex, null,
    'the shortened import is not found under its long name');
  const r = relaxDotCalls(fs.readFileSync(wasm), key);
  assert.ok(r.calls > 0, 'the GEMM calls the marker');
  assert.deepEqual(Buffer.from(r.bytes), fs.readFileSync(relaxed));
  assert.equal(relaxDotCalls(r.bytes, key).calls, 0, 'a second run finds nothing left');
  if (RELAXED) assert.ok(WebAssembly.validate(r.bytes), 'validates after the rewrite');
});
