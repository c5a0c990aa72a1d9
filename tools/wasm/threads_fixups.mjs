// Mends two defects of Emscripten 3.1.6's (experimental) MAIN_MODULE +
// pthreads in qlite-threads.wasm and its glue, in place:
//
// 1. Relocation order. With shared memory, wasm-ld 14 starts a PIC main
//    module with `call $init_memory; call $apply_global_relocs`, and
//    $init_memory applies the data relocations (once, for all threads).
//    Some of those store a symbol's address read from its internal GOT
//    global, which only $apply_global_relocs sets (to __memory_base or
//    __table_base + an offset), so they stored the bare offset: every embind
//    argument list held typeid addresses 1024 bytes off. After wasm-opt the
//    start function holds both inlined, the global relocations last: a run
//    of `global.get base; i32.const; i32.add; global.set`, which depends on
//    nothing but the imported bases. It is moved to the front (same size).
// 2. Thread-local symbols. The dylink.0 section lists, as thread-local
//    exports, function-local statics of embind that the module does not
//    export; the glue then keeps GOT entries for them that nothing resolves,
//    and linking any side module fails ("bad export type"). Those entries
//    are dropped. And the glue registers a side module's TLS initializer
//    without checking that it has one (qlite's, built without pthreads,
//    have none): the glue's registerTlsInit returns early for a missing one.
//
// Each fix fails loudly when the module or glue is not of the expected shape.
//
//   node tools/wasm/threads_fixups.mjs qlite-threads.wasm qlite-threads.js
import { readFileSync, writeFileSync } from 'node:fs';
import { encodeU32, readU32 } from './leb128.mjs';
import { functionImports, readSections, topLevelInstructions } from './wasm_decode.mjs';

const EXPORT_SECTION = 7;
const START_SECTION = 8;
const CODE_SECTION = 10;
const DYLINK_EXPORT_INFO = 3;
const GROUP = [0x23, 0x41, 0x6a, 0x24]; // global.get, i32.const, i32.add, global.set
const MIN_GROUPS = 8; // fewer: not the relocations this is meant for

/** `bytes` with the start function's trailing global relocations moved first. */
export function globalRelocsFirst(bytes) {
  const sections = readSections(bytes);
  const start = sections.find((x) => x.id === START_SECTION);
  const code = sections.find((x) => x.id === CODE_SECTION);
  if (!start || !code) throw new Error('no start function: not a threaded main module');
  const index = readU32(bytes, start.contentStart).value - functionImports(bytes, sections);
  let p = readU32(bytes, code.contentStart).next;
  for (let i = 0; i < index; ++i) { const size = readU32(bytes, p); p = size.next + size.value; }
  const size = readU32(bytes, p);
  const starts = topLevelInstructions(bytes, size.next, size.next + size.value);
  const end = starts.length - 1; // the final `end`
  let first = end;
  while (first >= GROUP.length &&
         GROUP.every((op, k) => bytes[starts[first - GROUP.length + k]] === op)) {
    first -= GROUP.length;
  }
  const groups = (end - first) / GROUP.length;
  if (groups < MIN_GROUPS) {
    throw new Error(`the start function ends in ${groups} global relocations, not a run of them`);
  }
  const code0 = starts[0]; // after the local declarations
  const run = bytes.subarray(starts[first], starts[end]);
  const rest = bytes.subarray(code0, starts[first]);
  const out = Uint8Array.from(bytes);
  out.set(run, code0);
  out.set(rest, code0 + run.length);
  return out;
}

function readName(bytes, at) {
  const length = readU32(bytes, at);
  return { text: Buffer.from(bytes.subarray(length.next, length.next + length.value)).toString(),
    next: length.next + length.value };
}

/** `bytes` without dylink.0 export-info entries for symbols it does not export. */
export function dropUnexportedExportInfo(bytes) {
  const sections = readSections(bytes);
  const dylink = sections[0];
  if (!dylink || dylink.name !== 'dylink.0') {
    throw new Error('no dylink.0 section first: not a MAIN_MODULE');
  }
  const exports = new Set();
  const ex = sections.find((x) => x.id === EXPORT_SECTION);
  if (ex) {
    let p = readU32(bytes, ex.contentStart).next;
    while (p < ex.end) {
      const name = readName(bytes, p);
      exports.add(name.text);
      p = readU32(bytes, name.next + 1).next; // after the kind byte, the index
    }
  }
  const subsections = readName(bytes, dylink.contentStart).next;
  const out = [...bytes.subarray(dylink.contentStart, subsections)];
  for (let p = subsections; p < dylink.end;) {
    const type = bytes[p];
    const size = readU32(bytes, p + 1);
    const end = size.next + size.value;
    if (type !== DYLINK_EXPORT_INFO) {
      out.push(...bytes.subarray(p, end));
    } else {
      const count = readU32(bytes, size.next);
      const kept = [];
      let keptCount = 0;
      for (let q = count.next, i = 0; i < count.value; ++i) {
        const name = readName(bytes, q);
        const flags = readU32(bytes, name.next);
        if (exports.has(name.text)) {
          kept.push(...bytes.subarray(q, flags.next));
          ++keptCount;
        }
        q = flags.next;
      }
      if (keptCount > 0) {
        const payload = [...encodeU32(keptCount), ...kept];
        out.push(type, ...encodeU32(payload.length), ...payload);
      }
    }
    p = end;
  }
  const header = [0, ...encodeU32(out.length)];
  const result = new Uint8Array(8 + header.length + out.length + bytes.length - dylink.end);
  result.set(bytes.subarray(0, 8), 0);
  result.set(header, 8);
  result.set(out, 8 + header.length);
  result.set(bytes.subarray(dylink.end), 8 + header.length + out.length);
  return result;
}

const TLS_INIT = 'function registerTlsInit(tlsInitFunc,moduleExports,metadata){';

/** The glue with registerTlsInit returning early for a module without a TLS initializer. */
export function guardTlsInit(glue) {
  const at = glue.indexOf(TLS_INIT);
  if (at < 0 || glue.indexOf(TLS_INIT, at + 1) >= 0) {
    throw new Error('the glue has no single registerTlsInit of the expected form');
  }
  return glue.replace(TLS_INIT, `${TLS_INIT}if(!tlsInitFunc)return;`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [wasm, glue] = process.argv.slice(2);
  if (!wasm || !glue) {
    console.error('usage: node tools/wasm/threads_fixups.mjs qlite-threads.wasm qlite-threads.js');
    process.exit(2);
  }
  try {
    const bytes = globalRelocsFirst(dropUnexportedExportInfo(new Uint8Array(readFileSync(wasm))));
    writeFileSync(wasm, bytes);
    const text = readFileSync(glue, 'utf8');
    if (!text.includes(`${TLS_INIT}if(!tlsInitFunc)return;`)) writeFileSync(glue, guardTlsInit(text));
    console.log(`threads_fixups: ${wasm}: global relocations first, unexported TLS entries dropped`);
  } catch (error) {
    console.error(`threads_fixups: ${wasm}: ${error.message}`);
    process.exit(1);
  }
}
