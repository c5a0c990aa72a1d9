// Tests for short_symbols.mjs on modules built byte by byte: which names
// change, that every module maps a name alike, and that the rest stays.
//   node --test tools/wasm/
import assert from 'node:assert/strict';
import test from 'node:test';

import { shortSymbol, shortenSymbols } from './short_symbols.mjs';
import {
  I32, body, functype, importFunc, section, str, u32, u32pad, vec, wasm,
} from './wasm_bytes.mjs';

const CXX = '_ZN5qlite10CheckArityERKNS_9OpContextEiii';
const CXX_DATA = '_ZN5qlite16kPool2DOptionsIOE';

const importGlobal = (mod, name) => [...str(mod), ...str(name), 0x03, I32, 0x01];
const exportFunc = (name, index) => [...str(name), 0x00, ...u32(index)];
const dylink = (exportInfo, importInfo) => {
  const sub = (type, payload) => [type, ...u32(payload.length), ...payload];
  const content = [...str('dylink.0'),
    ...sub(1, [...u32(16), ...u32(2), ...u32(0), ...u32(0)]), // mem info
    ...sub(3, vec(exportInfo.map((name) => [...str(name), ...u32(2)]))),
    ...sub(4, vec(importInfo.map(([m, f]) => [...str(m), ...str(f), ...u32(1)])))];
  return section(0, content);
};

// A side-module-like module: imports from env, GOT.mem and GOT.func, C++ and
// C exports (one an i64-legalized original), a dylink.0 section.
function build(names, padSize = false) {
  return wasm(
    dylink([names.cxx], [['env', names.cxx]]),
    section(1, vec([functype([], [])])),
    section(2, vec([importFunc('env', names.cxx, 0), importFunc('env', 'malloc', 0),
      importGlobal('GOT.mem', names.data), importGlobal('GOT.func', names.cxx)])),
    section(3, vec([[0x00]])),
    section(7, vec([exportFunc(names.cxx, 2), exportFunc(`orig$${names.cxx}`, 2),
      exportFunc('qlite_ops_register', 2)])),
    padSize ? [10, ...u32pad(4), 0x01, 0x02, 0x00, 0x0b] : section(10, vec([body([], [0x0b])])),
  );
}

test('C++ names become short ones, the same in every module; C names stay', () => {
  const short = shortSymbol(CXX);
  assert.match(short, /^Z[A-Za-z0-9_-]{8}$/);
  assert.equal(shortSymbol(CXX), short, 'deterministic');
  assert.equal(shortSymbol(`orig$${CXX}`), `orig$${short}`);
  assert.equal(shortSymbol('malloc'), 'malloc');
  assert.equal(shortSymbol('__embind_register_class'), '__embind_register_class');
  const original = build({ cxx: CXX, data: CXX_DATA });
  assert.ok(WebAssembly.validate(original));
  const out = shortenSymbols(original);
  assert.ok(WebAssembly.validate(out));
  assert.deepEqual(out, build({ cxx: short, data: shortSymbol(CXX_DATA) }));
  const module = new WebAssembly.Module(out);
  assert.deepEqual(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`),
    [`env.${short}`, 'env.malloc', `GOT.mem.${shortSymbol(CXX_DATA)}`, `GOT.func.${short}`]);
  assert.deepEqual(WebAssembly.Module.exports(module).map((e) => e.name),
    [short, `orig$${short}`, 'qlite_ops_register']);
  assert.ok(out.length < original.length);
});

test('sections it does not rename are copied byte for byte, padded sizes included', () => {
  const original = build({ cxx: CXX, data: CXX_DATA }, true);
  const out = shortenSymbols(original);
  const tail = original.subarray(original.length - 10);
  assert.deepEqual(out.subarray(out.length - 10), tail, 'the padded code section is unchanged');
  assert.deepEqual(shortenSymbols(out), out, 'short names are left alone');
});

test('malformed input is an error', () => {
  assert.throws(() => shortenSymbols(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), /not a wasm module/);
  const original = build({ cxx: CXX, data: CXX_DATA });
  assert.throws(() => shortenSymbols(original.subarray(0, original.length - 3)), /overruns/);
});
