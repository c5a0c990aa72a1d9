// Shortens the C++ symbol names that dynamically linked modules share.
//
// qlite.wasm (and qlite-threads.wasm) export every symbol the side modules
// qlite-ops.wasm and qlite-quantize.wasm import, by name, and a side module
// also imports its own symbols' addresses (GOT.mem, GOT.func) by name: ~9 KB
// of mangled C++ names in qlite.wasm and ~38 KB in qlite-ops.wasm. Emscripten's
// dynamic linker matches those names and nothing else, so every module gets
// the same short name for the same symbol: "Z" and 8 characters of the
// name's SHA-256 (base64url), which needs no shared table between builds.
// Only names that start with "_Z" (Itanium-mangled C++) change, in the
// import and export sections and in the dylink.0 section's export and import
// info; the glue's own symbols (malloc, embind's, ...) keep theirs.
//
//   node tools/wasm/short_symbols.mjs IN.wasm OUT.wasm   (OUT may be IN)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { encodeU32 as leb } from './leb128.mjs';

const IMPORT_SECTION = 2;
const EXPORT_SECTION = 7;
const DYLINK_EXPORT_INFO = 3;
const DYLINK_IMPORT_INFO = 4;

export function shortSymbol(name) {
  const legalized = name.startsWith('orig$'); // Emscripten's i64-legalized export's original
  const base = legalized ? name.slice(5) : name;
  if (!base.startsWith('_Z')) return name;
  const short = 'Z' + createHash('sha256').update(base).digest('base64url').slice(0, 8);
  return legalized ? 'orig$' + short : short;
}

class Reader {
  constructor(bytes, pos, end) { Object.assign(this, { bytes, pos, end }); }
  fail(message) { throw new Error(`${message} at byte offset ${this.pos}`); }
  u8() {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++];
  }
  u32() {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.u8();
      value += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return value;
    }
    return this.fail('bad LEB128 number');
  }
  name() {
    const length = this.u32();
    if (this.pos + length > this.end) this.fail('name overruns its section');
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
  copy(from) { return Array.from(this.bytes.subarray(from, this.pos)); }
}

const nameBytes = (text) => {
  const utf8 = new TextEncoder().encode(text);
  return [...leb(utf8.length), ...utf8];
};

// Renames `name`, remembering which original each short name came from so
// that two symbols can never end up with one name.
function renamer() {
  const origins = new Map();
  return (name) => {
    const short = shortSymbol(name);
    if (short === name) return name;
    const seen = origins.get(short);
    if (seen !== undefined && seen !== name) {
      throw new Error(`short_symbols: '${seen}' and '${name}' would both be '${short}'`);
    }
    origins.set(short, name);
    return short;
  };
}

// Skips an import's description (after its kind byte).
function skipImportDesc(r, kind) {
  if (kind === 0) r.u32(); // function: type index
  else if (kind === 1) { r.u8(); const flags = r.u8(); r.u32(); if (flags & 1) r.u32(); } // table
  else if (kind === 2) { const flags = r.u8(); r.u32(); if (flags & 1) r.u32(); } // memory
  else if (kind === 3) { r.u8(); r.u8(); } // global: type, mutability
  else if (kind === 4) { r.u8(); r.u32(); } // tag
  else r.fail(`unknown import kind ${kind}`);
}

function renameImports(r, rename) {
  const count = r.u32();
  const out = [...leb(count)];
  for (let i = 0; i < count; ++i) {
    const module = r.name();
    const field = r.name();
    const kind = r.u8();
    const start = r.pos;
    skipImportDesc(r, kind);
    out.push(...nameBytes(module), ...nameBytes(rename(field)), kind, ...r.copy(start));
  }
  return out;
}

function renameExports(r, rename) {
  const count = r.u32();
  const out = [...leb(count)];
  for (let i = 0; i < count; ++i) {
    const field = r.name();
    const kind = r.u8();
    const index = r.u32();
    out.push(...nameBytes(rename(field)), kind, ...leb(index));
  }
  return out;
}

// dylink.0: subsections of (type, size, payload); export info is a vector of
// (name, flags), import info of (module, field, flags).
function renameDylink(r, rename) {
  const out = [...nameBytes('dylink.0')];
  while (r.pos < r.end) {
    const type = r.u8();
    const size = r.u32();
    const end = r.pos + size;
    let payload;
    if (type === DYLINK_EXPORT_INFO || type === DYLINK_IMPORT_INFO) {
      const sub = new Reader(r.bytes, r.pos, end);
      const count = sub.u32();
      payload = [...leb(count)];
      for (let i = 0; i < count; ++i) {
        if (type === DYLINK_IMPORT_INFO) payload.push(...nameBytes(sub.name()));
        payload.push(...nameBytes(rename(sub.name())), ...leb(sub.u32()));
      }
    } else {
      payload = Array.from(r.bytes.subarray(r.pos, end));
    }
    r.pos = end;
    out.push(type, ...leb(payload.length), ...payload);
  }
  return out;
}

/** The module `bytes` with its shared C++ symbol names shortened. */
export function shortenSymbols(bytes) {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 ||
      bytes[3] !== 0x6d) {
    throw new Error('short_symbols: not a wasm module');
  }
  const rename = renamer();
  const parts = [bytes.subarray(0, 8)];
  const r = new Reader(bytes, 8, bytes.length);
  while (r.pos < bytes.length) {
    const header = r.pos; // its size LEB may be padded: copied sections keep it
    const id = r.u8();
    const size = r.u32();
    const start = r.pos;
    const end = start + size;
    if (end > bytes.length) r.fail(`section ${id} overruns the module`);
    const section = new Reader(bytes, start, end);
    let content = null;
    if (id === IMPORT_SECTION) content = renameImports(section, rename);
    else if (id === EXPORT_SECTION) content = renameExports(section, rename);
    else if (id === 0 && section.name() === 'dylink.0') content = renameDylink(section, rename);
    if (content !== null && section.pos !== end) section.fail(`section ${id} has trailing bytes`);
    parts.push(content === null
      ? bytes.subarray(header, end)
      : Uint8Array.from([id, ...leb(content.length), ...content]));
    r.pos = end;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node tools/wasm/short_symbols.mjs IN.wasm OUT.wasm');
    process.exit(2);
  }
  try {
    const before = readFileSync(input);
    const after = shortenSymbols(new Uint8Array(before));
    writeFileSync(output, after);
    console.log(`short_symbols: ${output}: ${before.length} -> ${after.length} bytes`);
  } catch (error) {
    console.error(`short_symbols: ${input}: ${error.message}`);
    process.exit(1);
  }
}
