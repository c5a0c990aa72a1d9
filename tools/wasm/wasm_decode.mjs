// A validating decoder for the parts of a linked wasm module that the
// tools/wasm post-link rewrites need: sections, imports, types, and function
// bodies instruction by instruction (so a 0x10 byte inside an immediate is
// never taken for a call). Anything it does not know is a WasmFormatError
// naming the byte offset, never a guess.

export const VALTYPE_NAMES = new Map([
  [0x7f, 'i32'], [0x7e, 'i64'], [0x7d, 'f32'], [0x7c, 'f64'], [0x7b, 'v128'],
  [0x70, 'funcref'], [0x6f, 'externref'],
]);
export const V128 = 0x7b;
const FUNCREF = 0x70;
const EXTERNREF = 0x6f;
export const SECTION_TYPE = 1;
export const SECTION_IMPORT = 2;
export const SECTION_CODE = 10;
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


export const hex = (n) => `0x${n.toString(16)}`;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bounds-checked cursor over bytes[pos, end); `scope` prefixes its error messages. */
export class Reader {
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
 * Reads the imports: { found, funcImports }. found[i] is { funcIndex, typeIndex, at } for
 * the function imported as keys[i] ({ module, name }), or null; funcImports is the number
 * of imported functions.
 */
export function readImports(bytes, section, keys) {
  const r = new Reader(bytes, section.contentStart, section.end, 'import section', 'section');
  const count = r.u32('import count');
  let funcIndex = 0;
  const found = keys.map(() => null);
  for (let i = 0; i < count; i++) {
    const module = r.name('import module name');
    const field = r.name('import field name');
    const kindAt = r.pos;
    const kind = r.u8('import kind');
    if (kind === 0) {
      const typeAt = r.pos;
      const typeIndex = r.u32('import type index');
      const k = keys.findIndex((key) => module === key.module && field === key.name);
      if (k >= 0) {
        if (found[k]) r.fail(`${module}.${field} is imported twice`, kindAt);
        found[k] = { funcIndex, typeIndex, at: typeAt };
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
  return { found, funcImports: funcIndex };
}

/** The number of functions the module imports (0 without an import section). */
export function functionImports(bytes, sections = readSections(bytes)) {
  const section = sections.find((x) => x.id === SECTION_IMPORT);
  return section ? readImports(bytes, section, []).funcImports : 0;
}

/** The function types of a type section: [[params], [results]] per type index. */
export function readFuncTypes(bytes, section) {
  const r = new Reader(bytes, section.contentStart, section.end, 'type section', 'section');
  const count = r.u32('type count');
  const types = [];
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
    types.push(sig);
  }
  if (r.pos !== section.end) r.fail(`${section.end - r.pos} unexpected bytes after the types`);
  return types;
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
 * Decodes one function body and returns the calls of the functions in `callees` (a Map
 * of function index to name): { at, end, callee, operandGet }, operandGet being the
 * [start, end) of the `local.get` right before the call (pushing its last operand) or
 * null. `topLevelStarts`, if given, collects where each instruction outside any block
 * starts. return_call and ref.func of a callee are errors: neither can become an
 * instruction in place.
 */
export function decodeBody(r, callees, topLevelStarts = null) {
  const locals = r.u32('local declaration count');
  for (let i = 0; i < locals; i++) {
    r.u32('local count');
    r.valtype('local type');
  }
  const calls = [];
  let depth = 0; // open block/loop/if; the body's own `end` closes depth 0
  let prevAt = -1; // where the previous instruction starts
  for (;;) {
    if (r.pos >= r.end) r.fail('function body has no final end (0x0b)');
    const at = r.pos;
    const lastGet = prevAt >= 0 && r.bytes[prevAt] === 0x20 ? [prevAt, at] : null;
    prevAt = at;
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
      case 0x10: { // call
        const callee = r.u32('function index');
        if (callees.has(callee)) calls.push({ at, end: r.pos, callee, operandGet: lastGet });
        break;
      }
      case 0x11: case 0x13: // call_indirect return_call_indirect
        r.u32('type index');
        r.u32('table index');
        break;
      case 0x12: { // return_call: cannot become an instruction without a following return
        const callee = r.u32('function index');
        if (callees.has(callee)) r.fail(`return_call of ${callees.get(callee)} is not supported`, at);
        break;
      }
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
      case 0xd2: { // ref.func: the callee would escape as a callable reference
        const callee = r.u32('function index');
        if (callees.has(callee)) r.fail(`ref.func of ${callees.get(callee)} is not supported`, at);
        break;
      }
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
  decodeBody(r, new Map(), starts);
  return starts;
}

