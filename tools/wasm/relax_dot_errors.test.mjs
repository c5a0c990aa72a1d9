// Tests for relax_dot.mjs: malformed and unsupported input, the command line and
// the real build's qlite.wasm (see relax_dot.test.mjs for the rewrite itself).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  MADD_MARKER_NAME, RELAXED_DOT_BYTES, RELAXED_MADD_BYTES, WasmFormatError, markerKeyFromGlue,
  relaxCalls, relaxDotCalls,
} from './relax_dot.mjs';
import {
  str, vec, section, wasm, body, I32, functype, T_MARK, importFunc, importMarker, call,
  v128const, ZERO16, RELAXED, buildMain, buildSized, buildCoverage, count,
} from './wasm_bytes.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOOL = path.join(HERE, 'relax_dot.mjs');
const BUILD_WASM = path.join(HERE, '..', '..', 'build', 'wasm');

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
    [[0xfe, 0x04], /unsupported atomic opcode 0xfe 0x4 /, 0], // unassigned atomic
    [[0xfe, 0x4f, 0x02, 0x00], /unsupported atomic opcode 0xfe 0x4f /, 0],
    [[0xfe, 0x03, 0x01], /atomic.fence with nonzero flags/, 0],
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

  const badOp = file('badop.wasm', withBody([0x06, 0x40, 0x0b, 0x0b]));
  r = runCli([badOp, out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unsupported opcode 0x6 at byte offset \d+/);

  assert.equal(runCli([main]).status, 1, 'usage error');
  assert.equal(runCli([file('missing.wasm'), out]).status, 1, 'unreadable input');
});

// ---- the real build output, when there is one ----
// qlite.wasm as Emscripten links it: a static build shortens import names (only its glue
// names the markers), a MAIN_MODULE build (the split build) keeps them. The build wrote
// qlite.relaxed.wasm with every marker call rewritten, then rewrote qlite.wasm's madd
// calls into f32x4.mul and f32x4.add: qlite.wasm keeps only dot calls, which the rewrite
// through the glue turns into the relaxed module's dots, and qlite.relaxed.wasm keeps no
// call at all and validates where relaxed SIMD does.
test('build/wasm/web/qlite.wasm, patched through its glue', (t) => {
  const web = path.join(BUILD_WASM, 'web');
  const files = ['qlite.wasm', 'qlite.js', 'qlite.relaxed.wasm'].map((f) => path.join(web, f));
  if (!files.every((f) => fs.existsSync(f))) {
    t.skip(`no wasm build in ${web} (bash scripts/build.sh wasm)`);
    return;
  }
  const [wasm, glue, relaxed] = files;
  const glueText = fs.readFileSync(glue, 'utf8');
  const key = markerKeyFromGlue(glueText);
  const keys = { dot: key, madd: markerKeyFromGlue(glueText, MADD_MARKER_NAME) };
  const dynamic = /loadWebAssemblyModule/.test(glueText);
  const byLongName = relaxDotCalls(fs.readFileSync(wasm)).markerIndex;
  if (dynamic) {
    assert.notEqual(byLongName, null, 'a MAIN_MODULE keeps the marker\'s long import name');
  } else {
    assert.equal(byLongName, null, 'the shortened import is not found under its long name');
  }
  const r = relaxCalls(fs.readFileSync(wasm), { keys });
  assert.ok(r.calls.dot > 0, 'the GEMM calls the dot marker');
  assert.notEqual(r.indices.madd, null, 'qlite.wasm imports the madd marker');
  assert.equal(r.calls.madd, 0, 'the build rewrote every madd call of qlite.wasm');
  const left = relaxCalls(fs.readFileSync(relaxed), { keys });
  assert.deepEqual(left.calls, { dot: 0, madd: 0 }, 'qlite.relaxed.wasm calls no marker');
  assert.ok(count(fs.readFileSync(relaxed), RELAXED_MADD_BYTES) > 0, 'relaxed_madd is in');
  if (RELAXED) assert.ok(WebAssembly.validate(left.bytes), 'qlite.relaxed.wasm validates');
});
