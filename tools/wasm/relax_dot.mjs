#!/usr/bin/env node
// Post-link rewrite that puts the final relaxed-SIMD instruction
// i32x4.relaxed_dot_i8x16_i7x16_add_s (0xfd 0x113, bytes fd 93 02) into a linked module.
// Our toolchain (Emscripten 3.1.6 / LLVM 14 / Binaryen 108) cannot emit it, so C++ calls
// the imported marker
//   (import "env" "qlite_relaxed_dot_i8x16_i7x16_add_s"
//     (func (param v128 v128 v128) (result v128)))
// and this tool turns every `call <marker>` into that instruction: the operands a, b, c are
// already on the stack in the right order. The import stays (unused), so no function index
// moves. Every function body is decoded instruction by instruction, so a 0x10 byte inside an
// immediate is never taken for a call; anything the decoder does not know is an error.
//
//   node tools/wasm/relax_dot.mjs IN.wasm OUT.wasm [--glue GLUE.js] [--expect-calls]
//
// At -O2 and above Emscripten shortens import names (the marker becomes e.g. "a"."a");
// --glue reads the shortened module and name from the module's Emscripten JS glue.
//
// Exit codes: 0 done; 1 malformed or unsupported input, or a usage/IO error;
// 2 with --expect-calls when the marker is not imported or never called.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { encodeU32 } from './leb128.mjs';

export const MARKER_MODULE = 'env';
export const MARKER_NAME = 'qlite_relaxed_dot_i8x16_i7x16_add_s';
// 0xfd prefix, then sub-opcode 0x113 as unsigned LEB128.
export const RELAXED_DOT_BYTES = Object.freeze([0xfd, 0x93, 0x02]);

const TOOL = 'relax_dot';
const MARKER = `${MARKER_MODULE}.${MARKER_NAME}`;
const VALTYPE_NAMES = new Map([
  [0x7f, 'i32'], [0x7e, 'i64'], [0x7d, 'f32'], [0x7c, 'f64'], [0x7b, 'v128'],
  [0x70, 'funcref'], [0x6f, 'externref'],
]);
const V128 = 0x7b;
const FUNCREF = 0x70;
const EXTERNREF = 0x6f;
const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_CODE = 10;
// 13 is the exception-handling tag section; past that we would not know the layout.
const LAST_SECTION_ID = 13;
// 0xfd sub-opcodes below 0x100 that the final SIMD spec leaves unassigned (LLVM 14 put
// pre-standard relaxed-SIMD ops there); they might carry immediates, so refuse them.
const SIMD_UNASSIGNED = new Set([
  0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb,
  0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee,
]);
const LAST_RELAXED_SIMD = 0x113;

/** Malformed or unsupported input; the message says what and at which byte offset. */
export class WasmFormatError extends Error {
  constructor(message) {
    super(message);
    this.name = 'WasmFormatError';
  }
}

const hex = (n) => `0x${n.toString(16)}`;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bounds-checked cursor over bytes[pos, end); `scope` prefixes its error messages. */
class Reader {
  constructor(bytes, pos, end, scope, limitName) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    this.scope = scope;
    this.limitName = limitName;
  }

  fail(message, at = this.pos) {
    const prefix = this.scope ? `${this.scope}: ` : '';
    throw new WasmFormatError(`${prefix}${message} at byte offset ${at} (${hex(at)})`);
  }

  need(n, what) {
    if (n > this.end - this.pos) {
      this.fail(`${what} runs past the end of the ${this.limitName}`);
    }
  }

  u8(what) {
    this.need(1, what);
    return this.bytes[this.pos++];
  }

  peek(what) {
    this.need(1, what);
    return this.bytes[this.pos];
  }

  skip(n, what) {
    this.need(n, what);
    this.pos += n;
  }

  // LEB128 of at most `bits` bits, rejecting over-long encodings and unused high bits as
  // the spec does. The value is exact up to 2^53 (enough for u32 and s33).
  leb(what, bits, signed) {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let value = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (this.pos >= this.end) {
        this.fail(`${what} (LEB128) runs past the end of the ${this.limitName}`, start);
      }
      const b = this.bytes[this.pos++];
      if (i === maxBytes - 1) {
        const used = bits - 7 * i;
        const high = (b & 0x7f) >> (signed ? used - 1 : used);
        const ok = (b & 0x80) === 0 && (high === 0 || (signed && high === 0x7f >> (used - 1)));
        if (!ok) this.fail(`bad LEB128 ${what} (too long or out of range)`, start);
      }
      value += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) {
        if (signed && (b & 0x40)) value -= scale;
        return value;
      }
    }
  }

  u32(what) {
    return this.leb(what, 32, false);
  }

  valtype(what) {
    const at = this.pos;
    const t = this.u8(what);
    if (!VALTYPE_NAMES.has(t)) this.fail(`unknown ${what} ${hex(t)}`, at);
    return t;
  }

  name(what) {
    const len = this.u32(`${what} length`);
    this.need(len, what);
    const at = this.pos;
    this.pos += len;
    try {
      return UTF8.decode(this.bytes.subarray(at, this.pos));
    } catch {
      return this.fail(`${what} is not valid UTF-8`, at);
    }
  }
}

/** Splits the module into { id, start (id byte), contentStart, end, name (custom) }. */
export function readSections(bytes) {
  const r = new Reader(bytes, 0, bytes.length, 'module', 'module');
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  r.need(8, 'module header (magic and version)');
  if (header.some((b, i) => bytes[i] !== b)) {
    r.fail('not a WebAssembly 1.0 module (bad magic or version)', 0);
  }
  r.pos = 8;
  const sections = [];
  const seen = new Set();
  while (r.pos < bytes.length) {
    const start = r.pos;
    const id = r.u8('section id');
    const size = r.u32(`section ${id} size`);
    if (size > bytes.length - r.pos) {
      r.fail(`section ${id} (size ${size}) overruns the module end ` +
        `(${bytes.length - r.pos} bytes left)`, start);
    }
    if (id > LAST_SECTION_ID) r.fail(`unknown section id ${id}`, start);
    // A second import or code section would make the rewrite ambiguous.
    if (id !== 0 && seen.has(id)) r.fail(`duplicate section id ${id}`, start);
    seen.add(id);
    const section = { id, start, contentStart: r.pos, end: r.pos + size, name: null };
    if (id === 0) {
      const cr = new Reader(bytes, r.pos, section.end, 'custom section', 'section');
      section.name = cr.name('custom section name');
    }
    sections.push(section);
    r.pos = section.end;
  }
  return sections;
}

function readLimits(r) {
  const at = r.pos;
  const flag = r.u8('limits flag');
  // 0/1: min [max]; 2/3: the same, shared (threads). Others are memory64 and beyond.
  if (flag > 3) r.fail(`unsupported limits flag ${hex(flag)}`, at);
  r.u32('limits minimum');
  if (flag & 1) r.u32('limits maximum');
}

/**
 * Reads the imports: { marker, funcImports }, marker being { funcIndex, typeIndex, at }
 * or null, funcImports the number of imported functions.
 */
function readImports(bytes, section, key) {
  const r = new Reader(bytes, section.contentStart, section.end, 'import section', 'section');
  const count = r.u32('import count');
  let funcIndex = 0;
  let marker = null;
  for (let i = 0; i < count; i++) {
    const module = r.name('import module name');
    const field = r.name('import field name');
    const kindAt = r.pos;
    const kind = r.u8('import kind');
    if (kind === 0) {
      const typeAt = r.pos;
      const typeIndex = r.u32('import type index');
      if (module === key.module && field === key.name) {
        if (marker) r.fail(`${key.module}.${key.name} is imported twice`, kindAt);
        marker = { funcIndex, typeIndex, at: typeAt };
      }
      funcIndex++;
    } else if (kind === 1) {
      const at = r.pos;
      const ref = r.u8('table element type');
      if (ref !== FUNCREF && ref !== EXTERNREF) {
        r.fail(`unknown table element type ${hex(ref)}`, at);
      }
      readLimits(r);
    } else if (kind === 2) {
      readLimits(r);
    } else if (kind === 3) {
      r.valtype('global type');
      const at = r.pos;
      const mut = r.u8('global mutability');
      if (mut > 1) r.fail(`bad global mutability ${hex(mut)}`, at);
    } else {
      r.fail(`unsupported import kind ${hex(kind)} (${module}.${field})`, kindAt);
    }
  }
  if (r.pos !== section.end) r.fail(`${section.end - r.pos} unexpected bytes after the imports`);
  return { marker, funcImports: funcIndex };
}

/** The number of functions the module imports (0 without an import section). */
export function functionImports(bytes, sections = readSections(bytes)) {
  const section = sections.find((x) => x.id === SECTION_IMPORT);
  return section ? readImports(bytes, section, { module: null, name: null }).funcImports : 0;
}

/** Errors unless type `typeIndex` is exactly (v128 v128 v128) -> (v128). */
function checkMarkerType(bytes, section, marker) {
  const where = `${MARKER} (function ${marker.funcIndex}) uses type ${marker.typeIndex}`;
  if (!section) {
    throw new WasmFormatError(`${where} but the module has no type section`);
  }
  const r = new Reader(bytes, section.contentStart, section.end, 'type section', 'section');
  const count = r.u32('type count');
  if (marker.typeIndex >= count) {
    r.fail(`${where}, but there are only ${count} types`, marker.at);
  }
  let found = null;
  for (let i = 0; i < count; i++) {
    const at = r.pos;
    const form = r.u8('type form');
    if (form !== 0x60) r.fail(`unsupported type form ${hex(form)} (want 0x60, func)`, at);
    const sig = [];
    for (const what of ['param', 'result']) {
      const n = r.u32(`${what} count`);
      const list = [];
      for (let j = 0; j < n; j++) list.push(r.valtype(`${what} type`));
      sig.push(list);
    }
    if (i === marker.typeIndex) found = sig;
  }
  if (r.pos !== section.end) r.fail(`${section.end - r.pos} unexpected bytes after the types`);
  const [params, results] = found;
  const ok = params.length === 3 && params.every((t) => t === V128) &&
    results.length === 1 && results[0] === V128;
  if (!ok) {
    const names = (list) => list.map((t) => VALTYPE_NAMES.get(t)).join(', ');
    throw new WasmFormatError(`${where}, which is (${names(params)}) -> (${names(results)}); ` +
      'expected (v128, v128, v128) -> (v128)');
  }
}

function readBlockType(r) {
  const b = r.peek('block type');
  if (b === 0x40 || VALTYPE_NAMES.has(b)) {
    r.pos++;
    return;
  }
  const at = r.pos;
  if (r.leb('block type index', 33, true) < 0) r.fail(`bad block type ${hex(b)}`, at);
}

function readMemarg(r) {
  const at = r.pos;
  const align = r.u32('memarg alignment');
  // Bit 6 announces a memory index (multi-memory), which we do not decode.
  if (align & 0x40) r.fail('memarg with a memory index (multi-memory) is not supported', at);
  r.u32('memarg offset');
}

function readMemoryIndex(r) {
  const at = r.pos;
  // A one-byte 0x00 in single-memory modules; anything else would be a multi-memory LEB.
  if (r.u8('memory index') !== 0) r.fail('memory index other than 0 is not supported', at);
}

function readPrefixFC(r, at) {
  const sub = r.u32('0xfc sub-opcode');
  switch (sub) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
      return; // trunc_sat
    case 8: r.u32('data index'); readMemoryIndex(r); return; // memory.init
    case 9: r.u32('data index'); return; // data.drop
    case 10: readMemoryIndex(r); readMemoryIndex(r); return; // memory.copy
    case 11: readMemoryIndex(r); return; // memory.fill
    case 12: r.u32('element index'); r.u32('table index'); return; // table.init
    case 13: r.u32('element index'); return; // elem.drop
    case 14: r.u32('table index'); r.u32('table index'); return; // table.copy
    case 15: case 16: case 17: r.u32('table index'); return; // table.grow/size/fill
    default: r.fail(`unsupported opcode 0xfc ${hex(sub)}`, at);
  }
}

// Threads proposal (the threaded build): notify, waits, fence, then atomic
// loads, stores and read-modify-writes (0x10..0x4e), each with a memarg.
function readPrefixFE(r, at) {
  const sub = r.u32('0xfe sub-opcode');
  if (sub === 3) {
    if (r.u8('atomic.fence flags') !== 0) r.fail('atomic.fence with nonzero flags', at);
  } else if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) {
    readMemarg(r);
  } else {
    r.fail(`unsupported atomic opcode 0xfe ${hex(sub)}`, at);
  }
}

function readPrefixFD(r, at) {
  const sub = r.u32('0xfd sub-opcode');
  if (sub <= 11 || sub === 92 || sub === 93) {
    readMemarg(r); // v128 loads/stores, load32_zero, load64_zero
  } else if (sub === 12 || sub === 13) {
    r.skip(16, sub === 12 ? 'v128.const immediate' : 'i8x16.shuffle lanes');
  } else if (sub >= 21 && sub <= 34) {
    r.skip(1, 'lane index'); // extract_lane / replace_lane
  } else if (sub >= 84 && sub <= 91) {
    readMemarg(r); // load_lane / store_lane
    r.skip(1, 'lane index');
  } else if (sub > LAST_RELAXED_SIMD || SIMD_UNASSIGNED.has(sub)) {
    r.fail(`unsupported SIMD opcode 0xfd ${hex(sub)}`, at);
  }
}

/**
 * Decodes one function body and returns [start, end, start, end, ...] of each
 * `call markerIndex` instruction in it.
 */
function findMarkerCalls(r, markerIndex, topLevelStarts = null) {
  const locals = r.u32('local declaration count');
  for (let i = 0; i < locals; i++) {
    r.u32('local count');
    r.valtype('local type');
  }
  const calls = [];
  let depth = 0; // open block/loop/if; the body's own `end` closes depth 0
  for (;;) {
    if (r.pos >= r.end) r.fail('function body has no final end (0x0b)');
    const at = r.pos;
    if (topLevelStarts !== null && depth === 0) topLevelStarts.push(at);
    const op = r.bytes[r.pos++];
    switch (op) {
      case 0x00: case 0x01: case 0x05: case 0x0f: case 0x1a: case 0x1b: case 0xd1:
        break; // unreachable nop else return drop select ref.is_null
      case 0x02: case 0x03: case 0x04: // block loop if
        readBlockType(r);
        depth++;
        break;
      case 0x0b: // end
        if (depth === 0) {
          if (r.pos !== r.end) {
            r.fail(`function body ends ${r.end - r.pos} bytes before its declared size`, at);
          }
          return calls;
        }
        depth--;
        break;
      case 0x0c: case 0x0d: r.u32('label index'); break; // br br_if
      case 0x0e: { // br_table
        const n = r.u32('br_table length');
        for (let i = 0; i < n; i++) r.u32('label index');
        r.u32('br_table default label');
        break;
      }
      case 0x10: // call
        if (r.u32('function index') === markerIndex) calls.push(at, r.pos);
        break;
      case 0x11: case 0x13: // call_indirect return_call_indirect
        r.u32('type index');
        r.u32('table index');
        break;
      case 0x12: // return_call: cannot become an instruction without a following return
        if (r.u32('function index') === markerIndex) {
          r.fail(`return_call of ${MARKER} is not supported`, at);
        }
        break;
      case 0x1c: { // typed select
        const n = r.u32('select type count');
        for (let i = 0; i < n; i++) r.valtype('select type');
        break;
      }
      case 0x20: case 0x21: case 0x22: r.u32('local index'); break;
      case 0x23: case 0x24: r.u32('global index'); break;
      case 0x25: case 0x26: r.u32('table index'); break;
      case 0x3f: case 0x40: readMemoryIndex(r); break; // memory.size memory.grow
      case 0x41: r.leb('i32.const immediate', 32, true); break;
      case 0x42: r.leb('i64.const immediate', 64, true); break;
      case 0x43: r.skip(4, 'f32.const immediate'); break;
      case 0x44: r.skip(8, 'f64.const immediate'); break;
      case 0xd0: { // ref.null
        const t = r.u8('reference type');
        if (t !== FUNCREF && t !== EXTERNREF) r.fail(`unknown reference type ${hex(t)}`, at + 1);
        break;
      }
      case 0xd2: // ref.func: the marker would escape as a callable reference
        if (r.u32('function index') === markerIndex) {
          r.fail(`ref.func of ${MARKER} is not supported`, at);
        }
        break;
      case 0xfc: readPrefixFC(r, at); break;
      case 0xfd: readPrefixFD(r, at); break;
      case 0xfe: readPrefixFE(r, at); break;
      default:
        if (op >= 0x28 && op <= 0x3e) readMemarg(r); // loads and stores
        else if (op < 0x45 || op > 0xc4) r.fail(`unsupported opcode ${hex(op)}`, at);
        // 0x45..0xc4: numeric ops without immediates
    }
  }
}

/**
 * Where each instruction outside any block starts in the function body
 * bytes[start, end) (its size LEB excluded), the body's final `end` last;
 * and where its instructions start (after the local declarations).
 */
export function topLevelInstructions(bytes, start, end) {
  const r = new Reader(bytes, start, end, 'function body', 'function body');
  const starts = [];
  findMarkerCalls(r, -1, starts);
  return starts;
}

/** Rewrites the code section; returns { parts, calls, functions } (parts: the new content). */
function rewriteCode(bytes, section, markerIndex, funcImports) {
  const r = new Reader(bytes, section.contentStart, section.end, 'code section', 'section');
  const count = r.u32('function body count');
  const parts = [bytes.subarray(section.contentStart, r.pos)];
  let calls = 0;
  let functions = 0;
  for (let i = 0; i < count; i++) {
    const sizeAt = r.pos;
    const size = r.u32(`size of code body ${i}`);
    if (size > section.end - r.pos) {
      r.fail(`code body ${i} (size ${size}) overruns the code section`, sizeAt);
    }
    const bodyStart = r.pos;
    const bodyEnd = bodyStart + size;
    const scope = `code body ${i} (function ${funcImports + i})`;
    const hits = findMarkerCalls(new Reader(bytes, bodyStart, bodyEnd, scope, 'body'), markerIndex);
    if (hits.length === 0) {
      parts.push(bytes.subarray(sizeAt, bodyEnd)); // byte-identical, size LEB included
    } else {
      const pieces = [];
      let from = bodyStart;
      for (let k = 0; k < hits.length; k += 2) {
        pieces.push(bytes.subarray(from, hits[k]), RELAXED_DOT_BYTES);
        from = hits[k + 1];
      }
      pieces.push(bytes.subarray(from, bodyEnd));
      const newSize = pieces.reduce((n, p) => n + p.length, 0);
      parts.push(encodeU32(newSize), ...pieces);
      calls += hits.length / 2;
      functions++;
    }
    r.pos = bodyEnd;
  }
  if (r.pos !== section.end) {
    r.fail(`${section.end - r.pos} unexpected bytes after the function bodies`);
  }
  return { parts, calls, functions };
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The marker's import { module, name } in a module linked by Emscripten 3.1.6 with
 * shortened imports, read from its JS glue: `"<module>":asmLibraryArg` names the import
 * module, `"<name>":_qlite_relaxed_dot_i8x16_i7x16_add_s` the function.
 */
export function markerKeyFromGlue(glue) {
  const name = glue.match(new RegExp(`"([\\w$]+)"\\s*:\\s*_${MARKER_NAME}\\b`));
  if (!name) throw new WasmFormatError(`the glue does not define _${MARKER_NAME}`);
  const module = glue.match(/\{\s*"([\w$]+)"\s*:\s*asmLibraryArg\b/);
  return { module: module ? module[1] : MARKER_MODULE, name: name[1] };
}

/**
 * Rewrites every `call` of the marker import into i32x4.relaxed_dot_i8x16_i7x16_add_s.
 * Returns { bytes, calls, functions, markerIndex, warnings }: markerIndex is the marker's
 * function index, or null when the module does not import it (bytes is then an unchanged
 * copy). Throws WasmFormatError on malformed or unsupported input.
 */
export function relaxDotCalls(input, key = { module: MARKER_MODULE, name: MARKER_NAME }) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const sections = readSections(bytes);
  const byId = (id) => sections.find((s) => s.id === id);
  const importSection = byId(SECTION_IMPORT);
  const { marker, funcImports } = importSection ?
    readImports(bytes, importSection, key) : { marker: null, funcImports: 0 };
  const result = { bytes: bytes.slice(), calls: 0, functions: 0, markerIndex: null, warnings: [] };
  if (!marker) return result;
  checkMarkerType(bytes, byId(SECTION_TYPE), marker);
  result.markerIndex = marker.funcIndex;

  const code = byId(SECTION_CODE);
  if (!code) return result;
  const { parts, calls, functions } = rewriteCode(bytes, code, marker.funcIndex, funcImports);
  if (calls === 0) return result;

  const content = concat(parts);
  result.bytes = concat([
    bytes.subarray(0, code.start),
    [SECTION_CODE], encodeU32(content.length), content,
    bytes.subarray(code.end),
  ]);
  result.calls = calls;
  result.functions = functions;
  // Code offsets moved; debug info that points into the code section is now stale.
  const stale = sections.filter((s) => s.id === 0 &&
    (s.name.startsWith('.debug_') || s.name === 'sourceMappingURL'));
  if (stale.length) {
    result.warnings.push('code offsets changed, so these custom sections are stale: ' +
      stale.map((s) => s.name).join(', '));
  }
  return result;
}

const USAGE = `usage: node tools/wasm/relax_dot.mjs IN.wasm OUT.wasm [--glue GLUE.js]
       [--expect-calls]
Rewrites calls of the import ${MARKER} into i32x4.relaxed_dot_i8x16_i7x16_add_s.
  --glue          read the import's shortened module and name from Emscripten's JS glue
  --expect-calls  exit 2 if the import is missing or never called`;

/** The CLI; returns the exit code. */
function main(args) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const expectCalls = args.includes('--expect-calls');
  const glueAt = args.indexOf('--glue');
  const gluePath = glueAt >= 0 ? args[glueAt + 1] : undefined;
  const files = args.filter((a, i) => a !== '--expect-calls' && (glueAt < 0 ||
    (i !== glueAt && i !== glueAt + 1)));
  if (glueAt >= 0 && (gluePath === undefined || gluePath.startsWith('-'))) {
    console.error(USAGE);
    return 1;
  }
  if (files.length !== 2 || files.some((a) => a.startsWith('-'))) {
    console.error(USAGE);
    return 1;
  }
  const [inPath, outPath] = files;
  const fail = (code, message) => {
    console.error(`${TOOL}: error: ${message}`);
    return code;
  };

  let input;
  try {
    input = fs.readFileSync(inPath);
  } catch (e) {
    return fail(1, `cannot read ${inPath}: ${e.message}`);
  }
  let result;
  let key = { module: MARKER_MODULE, name: MARKER_NAME };
  try {
    if (gluePath !== undefined) key = markerKeyFromGlue(fs.readFileSync(gluePath, 'utf8'));
    result = relaxDotCalls(input, key);
  } catch (e) {
    if (e.code === 'ENOENT') return fail(1, `cannot read ${gluePath}: ${e.message}`);
    if (e instanceof WasmFormatError) return fail(1, `${inPath}: ${e.message}`);
    throw e;
  }

  const { calls, functions, markerIndex } = result;
  if (expectCalls && markerIndex === null) {
    return fail(2, `${inPath} does not import ${key.module}.${key.name} (${MARKER}) ` +
      '(--expect-calls)');
  }
  if (expectCalls && calls === 0) {
    return fail(2, `${inPath} imports ${MARKER} (function ${markerIndex}) but never calls it ` +
      '(--expect-calls)');
  }
  // Write beside OUT and rename, so a failed run never leaves a half-written module.
  const tmp = path.join(path.dirname(outPath), `.${path.basename(outPath)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, result.bytes);
    fs.renameSync(tmp, outPath);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    return fail(1, `cannot write ${outPath}: ${e.message}`);
  }
  for (const w of result.warnings) console.error(`${TOOL}: warning: ${inPath}: ${w}`);
  if (markerIndex === null) {
    console.log(`${TOOL}: ${inPath} does not import ${MARKER}; copied unchanged ` +
      `(${inPath} -> ${outPath})`);
  } else {
    console.log(`${TOOL}: ${calls} calls rewritten in ${functions} functions ` +
      `(${inPath} -> ${outPath})`);
  }
  return 0;
}

function isMainScript() {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainScript()) process.exitCode = main(process.argv.slice(2));
