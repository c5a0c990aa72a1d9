// Tests for relax_dot.mjs's multiply-add marker: relaxed mode writes
// f32x4.relaxed_madd, --plain writes f32x4.mul and f32x4.add (moving the
// addend's local.get after the multiply), on modules built byte by byte.
//   node --test tools/wasm/
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  MADD_MARKER_NAME, MARKER_MODULE, RELAXED_MADD_BYTES, WasmFormatError, relaxCalls,
} from './relax_dot.mjs';
import {
  str, vec, section, wasm, body, functype, T_MARK, importFunc, importMarker, call, v128const,
  ZERO16, V128, NO_RELAXED,
} from './wasm_bytes.mjs';

const TOOL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'relax_dot.mjs');
const MUL = [0xfd, 0xe6, 0x01];
const ADD = [0xfd, 0xe4, 0x01];
const get = (i) => [0x20, i];

// Imports the dot marker (function 0) and the madd marker (function 1);
// exports "f" (function 2): (a, b, c) -> <madd>(a, b, c) with `madd` standing
// for the call or whatever replaces it, then the same with the addend as a
// v128.const when `constAddend` (a call --plain cannot rewrite).
function buildMadd(madd, constAddend = false) {
  const addend = constAddend ? v128const(ZERO16) : get(2);
  const code = madd === null ? [...get(0), ...get(1), ...addend, ...call(1), 0x0b] :
    [...get(0), ...get(1), ...madd(addend), 0x0b];
  return wasm(
    section(1, vec([T_MARK])),
    section(2, vec([importMarker(0), importFunc(MARKER_MODULE, MADD_MARKER_NAME, 0)])),
    section(3, vec([[0]])),
    section(7, vec([[...str('f'), 0x00, 2]])),
    section(10, vec([body([], code)])),
  );
}

const withCall = buildMadd(null);
const relaxed = buildMadd((addend) => [...addend, ...RELAXED_MADD_BYTES]);
const plain = buildMadd((addend) => [...MUL, ...addend, ...ADD]);

// Runs "f" of `bytes` wrapped by a module that loads a, b, c from memory.
function runF(bytes, a, b, c) {
  const f = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: {
      qlite_relaxed_dot_i8x16_i7x16_add_s: () => assert.fail('the dot marker is never called'),
      [MADD_MARKER_NAME]: () => assert.fail('the madd marker must not be called'),
    },
  }).exports.f;
  // v128 cannot cross into JS: a wrapper module imports f and stores its result.
  const load = (addr) => [0x41, addr, 0xfd, 0x00, 0x04, 0x00];
  const wrapper = wasm(
    section(1, vec([T_MARK, functype([], [])])),
    section(2, vec([importFunc('m', 'f', 0), [...str('m'), ...str('mem'), 0x02, 0x00, 0x01]])),
    section(3, vec([[1]])),
    section(7, vec([[...str('run'), 0x00, 1]])),
    section(10, vec([body([], [0x41, 48, ...load(0), ...load(16), ...load(32), 0x10, 0x00,
      0xfd, 0x0b, 0x04, 0x00, 0x0b])])),
  );
  const mem = new WebAssembly.Memory({ initial: 1 });
  new Float32Array(mem.buffer, 0, 12).set([...a, ...b, ...c]);
  new WebAssembly.Instance(new WebAssembly.Module(wrapper), { m: { f, mem } }).exports.run();
  return Array.from(new Float32Array(mem.buffer, 48, 4));
}

// (1 + 2^-12)^2 - 1 is 2^-11 rounded twice and 2^-11 + 2^-24 fused.
const A = 1 + 2 ** -12;
const UNFUSED = 2 ** -11;
const FUSED = 2 ** -11 + 2 ** -24;

test('madd calls become f32x4.relaxed_madd, dot calls their instruction', () => {
  const r = relaxCalls(withCall);
  assert.deepEqual(r.calls, { dot: 0, madd: 1 });
  assert.deepEqual(r.indices, { dot: 0, madd: 1 });
  assert.deepEqual(r.bytes, relaxed);
});

test('--plain: local.get X; call madd -> f32x4.mul; local.get X; f32x4.add', () => {
  const r = relaxCalls(withCall, { plain: true });
  assert.deepEqual(r.calls, { dot: 0, madd: 1 });
  assert.deepEqual(r.bytes, plain);
  assert.ok(WebAssembly.validate(r.bytes));
  assert.deepEqual(runF(r.bytes, [A, A, 2, -3], [A, A, 3, 0.5], [-1, 0, 1, 1e30]),
    [UNFUSED, Math.fround(A * A), 7, 1e30].map(Math.fround));
  assert.deepEqual(relaxCalls(r.bytes, { plain: true }).calls.madd, 0, 'nothing left');
});

test('--plain refuses a madd call whose addend is not a local.get', () => {
  assert.throws(() => relaxCalls(buildMadd(null, true), { plain: true }),
    (e) => e instanceof WasmFormatError && /does not take its addend from a local\.get/.test(
      e.message));
  assert.equal(relaxCalls(buildMadd(null, true)).calls.madd, 1, 'relaxed mode needs no local');
});

test('relaxed_madd runs fused or unfused', { skip: NO_RELAXED }, () => {
  const [out] = runF(relaxed, [A, 0, 0, 0], [A, 0, 0, 0], [-1, 0, 0, 0]);
  assert.ok(out === UNFUSED || out === FUSED, `relaxed_madd gave ${out}`);
});

test('CLI: --plain --expect-calls wants the madd marker', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relax_madd-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name, bytes) => {
    const p = path.join(dir, name);
    if (bytes) fs.writeFileSync(p, bytes);
    return p;
  };
  const run = (...args) => spawnSync(process.execPath, [TOOL, ...args], { encoding: 'utf8' });
  const input = file('in.wasm', withCall);
  const out = file('out.wasm');
  let r = run(input, out, '--plain', '--expect-calls');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 calls rewritten in 1 functions \(1 madd\)/);
  assert.deepEqual(new Uint8Array(fs.readFileSync(out)), plain);
  const noMadd = file('nomadd.wasm', wasm(
    section(1, vec([T_MARK, functype([V128, V128, V128], [V128])])),
    section(2, vec([importMarker(0)])),
    section(3, vec([[1]])),
    section(10, vec([body([], [...get(0), ...get(1), ...get(2), ...call(0), 0x0b])])),
  ));
  r = run(noMadd, out, '--plain', '--expect-calls');
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`does not import env\\.${MADD_MARKER_NAME}`));
  r = run(noMadd, out, '--expect-calls');
  assert.equal(r.status, 0, r.stderr);
});
