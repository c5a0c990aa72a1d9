// Tests for relax_dot.mjs: what the rewrite changes, on modules built byte by
// byte (tools/wasm/wasm_bytes.mjs).
//   node --test tools/wasm/
//   node --experimental-wasm-relaxed-simd --test tools/wasm/
// Without the flag V8 cannot validate or run the relaxed instruction, so the rewritten
// bytes are only compared with modules built with `fd 93 02` in place of the calls; with
// it the rewritten modules are also validated and run.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import v8 from 'node:v8';

import {
  MARKER_NAME, RELAXED_DOT_BYTES, relaxDotCalls,
} from './relax_dot.mjs';
import {
  u32, u32pad, str, vec, section, wasm, body, I32, functype, T_MARK, importFunc, importMarker,
  call, v128const, ZERO16, RELAXED, NO_RELAXED, count, A_ADDR, B_ADDR, C_ADDR, OUT_ADDR, LANES,
  B2, buildMain, dotAdd, buildSized, buildCoverage,
} from './wasm_bytes.mjs';

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
