// Tests for threads_fixups.mjs on modules built byte by byte.
//   node --test tools/wasm/
import assert from 'node:assert/strict';
import test from 'node:test';

import { dropUnexportedExportInfo, globalRelocsFirst, guardTlsInit } from './threads_fixups.mjs';
import { I32, body, functype, section, str, u32, vec, wasm } from './wasm_bytes.mjs';

const GROUPS = 8;
const OFFSET = 40; // + k stays below 64: one-byte signed LEBs

// A module importing memory and a base global; GROUPS mutable globals whose
// "relocations" set them to base + OFFSET + k; a start function that first
// stores global 1 into memory[0] (the data relocation) and then, or first
// when `fixed`, runs the relocations.
function startModule(fixed) {
  const relocs = [];
  for (let k = 0; k < GROUPS; ++k) {
    relocs.push(0x23, 0x00, 0x41, ...u32(OFFSET + k), 0x6a, 0x24, ...u32(k + 1));
  }
  const store = [0x41, 0x00, 0x23, 0x01, 0x36, 0x02, 0x00]; // i32.store [0] = global 1
  const code = fixed ? [...relocs, ...store] : [...store, ...relocs];
  const globals = Array.from({ length: GROUPS }, (_, k) => [I32, 0x01, 0x41, ...u32(OFFSET + k), 0x0b]);
  return wasm(
    section(1, vec([functype([], [])])),
    section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, 0x01],
      [...str('env'), ...str('__memory_base'), 0x03, I32, 0x00]])),
    section(3, vec([[0x00]])),
    section(6, vec(globals)),
    section(8, u32(0)),
    section(10, vec([body([], [...code, 0x0b])])),
  );
}

test('the start function runs its global relocations first', () => {
  const broken = startModule(false);
  const fixed = globalRelocsFirst(broken);
  assert.equal(fixed.length, broken.length);
  assert.deepEqual(fixed, startModule(true));
  const run = (bytes) => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const base = new WebAssembly.Global({ value: 'i32', mutable: false }, 1024);
    new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, __memory_base: base } });
    return new Int32Array(memory.buffer)[0];
  };
  assert.equal(run(broken), OFFSET, 'unfixed: the bare offset');
  assert.equal(run(fixed), 1024 + OFFSET, 'fixed: base + offset');
  assert.throws(() => globalRelocsFirst(fixed), /ends in 0 global relocations/);
});

const dylinkModule = (names) => wasm(
  section(0, [...str('dylink.0'), 1, 4, 0, 0, 0, 0,
    ...(names.length ? [3, ...u32(vec(names.map((n) => [...str(n), 0x80, 0x02])).length),
      ...vec(names.map((n) => [...str(n), 0x80, 0x02]))] : [])]),
  section(1, vec([functype([], [])])),
  section(3, vec([[0x00]])),
  section(7, vec([[...str('f'), 0x00, 0x00]])),
  section(10, vec([body([], [0x0b])])),
);

test('export-info entries of symbols not exported are dropped', () => {
  assert.deepEqual(dropUnexportedExportInfo(dylinkModule(['f', 'ghost'])), dylinkModule(['f']));
  assert.deepEqual(dropUnexportedExportInfo(dylinkModule(['ghost'])), dylinkModule([]));
  assert.deepEqual(dropUnexportedExportInfo(dylinkModule(['f'])), dylinkModule(['f']));
  assert.throws(() => dropUnexportedExportInfo(startModule(false)), /no dylink.0/);
});

test('the glue skips a missing TLS initializer; another glue is an error', () => {
  const glue = 'a;function registerTlsInit(tlsInitFunc,moduleExports,metadata){x()}b';
  assert.equal(guardTlsInit(glue),
    'a;function registerTlsInit(tlsInitFunc,moduleExports,metadata){if(!tlsInitFunc)return;x()}b');
  assert.throws(() => guardTlsInit('function registerTlsInit(f){}'), /no single registerTlsInit/);
});
