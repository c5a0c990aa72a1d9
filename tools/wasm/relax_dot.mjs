#!/usr/bin/env node
// Post-link rewrite that puts relaxed-SIMD instructions into a linked module.
// Our toolchain (Emscripten 3.1.6 / LLVM 14 / Binaryen 108) cannot emit them, so C++ calls
// imported markers, each (func (param v128 v128 v128) (result v128)) from "env":
//   qlite_relaxed_dot_i8x16_i7x16_add_s -> i32x4.relaxed_dot_i8x16_i7x16_add_s (fd 93 02)
//   qlite_relaxed_madd_f32x4            -> f32x4.relaxed_madd (fd 85 02), a * b + c
// and this tool turns every `call <marker>` into its instruction: the operands a, b, c are
// already on the stack in the right order. The imports stay (unused), so no function index
// moves. Every function body is decoded instruction by instruction (wasm_decode.mjs).
//
// --plain writes the module that runs without relaxed SIMD: each madd call becomes
// f32x4.mul then f32x4.add (the marker's C++ contract allows either rounding). The call's
// addend c is nearly always a `local.get X` right before it, so
//   local.get X; call madd  ->  f32x4.mul; local.get X; f32x4.add
// and a call without one is an error. Dot calls stay: the plain module never runs them.
//
//   node tools/wasm/relax_dot.mjs IN.wasm OUT.wasm [--plain] [--glue GLUE.js]
//                                 [--expect-calls]
//
// At -O2 and above Emscripten shortens import names (the marker becomes e.g. "a"."a");
// --glue reads the shortened module and names from the module's Emscripten JS glue.
//
// Exit codes: 0 done; 1 malformed or unsupported input, or a usage/IO error;
// 2 with --expect-calls when the dot marker (--plain: the madd marker) is not imported
// or never called.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { encodeU32 } from './leb128.mjs';
import {
  Reader, SECTION_CODE, SECTION_IMPORT, SECTION_TYPE, V128, VALTYPE_NAMES, WasmFormatError,
  decodeBody, hex, readFuncTypes, readImports, readSections,
} from './wasm_decode.mjs';

export { WasmFormatError } from './wasm_decode.mjs';

export const MARKER_MODULE = 'env';
export const MARKER_NAME = 'qlite_relaxed_dot_i8x16_i7x16_add_s';
export const MADD_MARKER_NAME = 'qlite_relaxed_madd_f32x4';
// 0xfd prefix, then the sub-opcode as unsigned LEB128: 0x113 and 0x105.
export const RELAXED_DOT_BYTES = Object.freeze([0xfd, 0x93, 0x02]);
export const RELAXED_MADD_BYTES = Object.freeze([0xfd, 0x85, 0x02]);
const F32X4_MUL_BYTES = Object.freeze([0xfd, 0xe6, 0x01]);
const F32X4_ADD_BYTES = Object.freeze([0xfd, 0xe4, 0x01]);

const TOOL = 'relax_dot';
const MARKER = `${MARKER_MODULE}.${MARKER_NAME}`;
const DEFAULT_KEYS = Object.freeze({
  dot: { module: MARKER_MODULE, name: MARKER_NAME },
  madd: { module: MARKER_MODULE, name: MADD_MARKER_NAME },
});
// A marker's name in messages: its unshortened import.
const markerLabel = (kind) => `${MARKER_MODULE}.${DEFAULT_KEYS[kind].name}`;

/** Errors unless the marker's type is exactly (v128 v128 v128) -> (v128). */
function checkMarkerType(types, marker, label) {
  const where = `${label} (function ${marker.funcIndex}) uses type ${marker.typeIndex}`;
  if (!types) throw new WasmFormatError(`${where} but the module has no type section`);
  if (marker.typeIndex >= types.length) {
    throw new WasmFormatError(`${where}, but there are only ${types.length} types at byte ` +
      `offset ${marker.at} (${hex(marker.at)})`);
  }
  const [params, results] = types[marker.typeIndex];
  const ok = params.length === 3 && params.every((t) => t === V128) &&
    results.length === 1 && results[0] === V128;
  if (!ok) {
    const names = (list) => list.map((t) => VALTYPE_NAMES.get(t)).join(', ');
    throw new WasmFormatError(`${where}, which is (${names(params)}) -> (${names(results)}); ` +
      'expected (v128, v128, v128) -> (v128)');
  }
}

/** What replaces one marker call: [start, end, bytes], the body's bytes [start, end) going. */
function replacement(bytes, hit, kind, plain) {
  if (!plain) return [hit.at, hit.end, kind === 'dot' ? RELAXED_DOT_BYTES : RELAXED_MADD_BYTES];
  if (!hit.operandGet) {
    throw new WasmFormatError(`a call of ${MADD_MARKER_NAME} at byte offset ${hit.at} ` +
      `(${hex(hit.at)}) does not take its addend from a local.get right before it; ` +
      '--plain cannot rewrite it');
  }
  const [getAt, getEnd] = hit.operandGet;
  return [getAt, hit.end,
    [...F32X4_MUL_BYTES, ...bytes.subarray(getAt, getEnd), ...F32X4_ADD_BYTES]];
}

/**
 * Rewrites the code section; returns { parts, calls, functions } (parts: the new content,
 * calls: per marker kind).
 */
function rewriteCode(bytes, section, callees, funcImports, plain) {
  const r = new Reader(bytes, section.contentStart, section.end, 'code section', 'section');
  const count = r.u32('function body count');
  const parts = [bytes.subarray(section.contentStart, r.pos)];
  const calls = { dot: 0, madd: 0 };
  let functions = 0;
  const labels = new Map([...callees].map(([index, kind]) => [index, markerLabel(kind)]));
  for (let i = 0; i < count; i++) {
    const sizeAt = r.pos;
    const size = r.u32(`size of code body ${i}`);
    if (size > section.end - r.pos) {
      r.fail(`code body ${i} (size ${size}) overruns the code section`, sizeAt);
    }
    const bodyStart = r.pos;
    const bodyEnd = bodyStart + size;
    const scope = `code body ${i} (function ${funcImports + i})`;
    const hits = decodeBody(new Reader(bytes, bodyStart, bodyEnd, scope, 'body'), labels)
      .filter((hit) => !plain || callees.get(hit.callee) === 'madd');
    if (hits.length === 0) {
      parts.push(bytes.subarray(sizeAt, bodyEnd)); // byte-identical, size LEB included
    } else {
      const pieces = [];
      let from = bodyStart;
      for (const hit of hits) {
        const kind = callees.get(hit.callee);
        const [start, end, insert] = replacement(bytes, hit, kind, plain);
        pieces.push(bytes.subarray(from, start), insert);
        from = end;
        calls[kind]++;
      }
      pieces.push(bytes.subarray(from, bodyEnd));
      const newSize = pieces.reduce((n, p) => n + p.length, 0);
      parts.push(encodeU32(newSize), ...pieces);
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
 * A marker's import { module, name } in a module linked by Emscripten 3.1.6 with
 * shortened imports, read from its JS glue: `"<module>":asmLibraryArg` names the import
 * module, `"<name>":_<marker name>` the function. Null for a marker the glue does not
 * define, unless it is `required`.
 */
export function markerKeyFromGlue(glue, markerName = MARKER_NAME, required = true) {
  const name = glue.match(new RegExp(`"([\\w$]+)"\\s*:\\s*_${markerName}\\b`));
  if (!name) {
    if (!required) return null;
    throw new WasmFormatError(`the glue does not define _${markerName}`);
  }
  const module = glue.match(/\{\s*"([\w$]+)"\s*:\s*asmLibraryArg\b/);
  return { module: module ? module[1] : MARKER_MODULE, name: name[1] };
}

/**
 * Rewrites every `call` of the markers `keys` ({ dot, madd }: import { module, name }, or
 * null to leave that marker alone) into their relaxed instructions, or with `plain` every
 * madd call into f32x4.mul and f32x4.add. Returns { bytes, calls, functions, indices,
 * warnings }: calls counts rewritten calls per marker, indices holds each imported
 * marker's function index (null when not imported). Throws WasmFormatError on malformed
 * or unsupported input.
 */
export function relaxCalls(input, { keys = DEFAULT_KEYS, plain = false } = {}) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const sections = readSections(bytes);
  const byId = (id) => sections.find((s) => s.id === id);
  const kinds = Object.keys(DEFAULT_KEYS).filter((kind) => keys[kind]);
  const importSection = byId(SECTION_IMPORT);
  const { found, funcImports } = importSection ?
    readImports(bytes, importSection, kinds.map((kind) => keys[kind])) :
    { found: kinds.map(() => null), funcImports: 0 };
  const result = {
    bytes: bytes.slice(), calls: { dot: 0, madd: 0 }, functions: 0,
    indices: { dot: null, madd: null }, warnings: [],
  };
  const callees = new Map();
  const typeSection = byId(SECTION_TYPE);
  const types = typeSection ? readFuncTypes(bytes, typeSection) : null;
  kinds.forEach((kind, i) => {
    if (!found[i]) return;
    checkMarkerType(types, found[i], markerLabel(kind));
    result.indices[kind] = found[i].funcIndex;
    callees.set(found[i].funcIndex, kind);
  });
  const code = byId(SECTION_CODE);
  if (callees.size === 0 || !code) return result;

  const { parts, calls, functions } = rewriteCode(bytes, code, callees, funcImports, plain);
  if (functions === 0) return result;
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

/**
 * relaxCalls for the dot marker alone: { bytes, calls, functions, markerIndex, warnings }
 * with calls a number and markerIndex the marker's function index or null.
 */
export function relaxDotCalls(input, key = DEFAULT_KEYS.dot) {
  const r = relaxCalls(input, { keys: { dot: key, madd: null } });
  return { ...r, calls: r.calls.dot, markerIndex: r.indices.dot };
}

const USAGE = `usage: node tools/wasm/relax_dot.mjs IN.wasm OUT.wasm [--plain] [--glue GLUE.js]
       [--expect-calls]
Rewrites calls of the imports ${MARKER} and ${MARKER_MODULE}.${MADD_MARKER_NAME}
into their relaxed-SIMD instructions.
  --plain         rewrite only the madd calls, into f32x4.mul and f32x4.add
  --glue          read the imports' shortened module and names from Emscripten's JS glue
  --expect-calls  exit 2 if the dot import (--plain: the madd import) is missing or never
                  called`;

/** The CLI; returns the exit code. */
function main(args) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const expectCalls = args.includes('--expect-calls');
  const plain = args.includes('--plain');
  const glueAt = args.indexOf('--glue');
  const gluePath = glueAt >= 0 ? args[glueAt + 1] : undefined;
  const files = args.filter((a, i) => a !== '--expect-calls' && a !== '--plain' &&
    (glueAt < 0 || (i !== glueAt && i !== glueAt + 1)));
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
  const expected = plain ? 'madd' : 'dot';
  let result;
  let keys = DEFAULT_KEYS;
  try {
    if (gluePath !== undefined) {
      const glue = fs.readFileSync(gluePath, 'utf8');
      keys = {
        dot: markerKeyFromGlue(glue, MARKER_NAME, expected === 'dot'),
        madd: markerKeyFromGlue(glue, MADD_MARKER_NAME, expected === 'madd'),
      };
    }
    result = relaxCalls(input, { keys, plain });
  } catch (e) {
    if (e.code === 'ENOENT') return fail(1, `cannot read ${gluePath}: ${e.message}`);
    if (e instanceof WasmFormatError) return fail(1, `${inPath}: ${e.message}`);
    throw e;
  }

  const { functions, indices } = result;
  const calls = result.calls.dot + result.calls.madd;
  const label = markerLabel(expected);
  if (expectCalls && indices[expected] === null) {
    const key = keys[expected];
    return fail(2, `${inPath} does not import ${key.module}.${key.name} (${label}) ` +
      '(--expect-calls)');
  }
  if (expectCalls && result.calls[expected] === 0) {
    return fail(2, `${inPath} imports ${label} (function ${indices[expected]}) but never ` +
      'calls it (--expect-calls)');
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
  if (indices.dot === null && indices.madd === null) {
    console.log(`${TOOL}: ${inPath} does not import ${MARKER} or ${MADD_MARKER_NAME}; ` +
      `copied unchanged ` +
      `(${inPath} -> ${outPath})`);
  } else {
    const detail = result.calls.madd ? ` (${result.calls.madd} madd)` : '';
    console.log(`${TOOL}: ${calls} calls rewritten in ${functions} functions${detail} ` +
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
