// From a side module's (qlite-ops.wasm) import section, writes what the
// MAIN_MODULE=2 builds (qlite.wasm, qlite_quantize.wasm) must export: an emcc
// EXPORTED_FUNCTIONS list ("_name") of the symbols the side module imports and
// does not define itself. Symbols it imports *and* defines (templates, inline
// functions, typeinfo) bind to its own copy when the main module has none, so
// they must not be required of the main module (wasm-ld: "undefined exported
// symbol").
//   node tools/wasm/side_imports.mjs SIDE.wasm OUT.json
import { readFileSync, writeFileSync } from 'node:fs';

const [side, outJson] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(side));
const imports = WebAssembly.Module.imports(module);
const defined = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
const local = new Set(['__memory_base', '__table_base', '__stack_pointer', 'memory',
  '__indirect_function_table']);
const names = [...new Set(imports.filter((i) => !local.has(i.name)).map((i) => i.name))].sort();
// getTempRet0 (i64 legalization) is a JS library function of the glue: the
// main link includes it (DEFAULT_LIBRARY_FUNCS_TO_INCLUDE) and EXPORTED_FUNCTIONS
// puts it on Module, where the side module's import finds it.
const required = names.filter((n) => !defined.has(n));
writeFileSync(outJson, JSON.stringify(required.map((n) => `_${n}`)) + '\n');
console.log(`${side}: ${imports.length} imports, ${required.length} symbols for the main ` +
  `module to export, ${names.length - required.length} defined here too`);
