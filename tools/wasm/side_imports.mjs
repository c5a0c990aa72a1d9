// From the side modules' (qlite-ops.wasm, qlite-quantize.wasm) import
// sections, writes what the MAIN_MODULE=2 qlite.wasm must export: an emcc
// EXPORTED_FUNCTIONS list ("_name") of the symbols a side module imports and
// does not define itself. Symbols it imports *and* defines (templates, inline
// functions, typeinfo) bind to its own copy when the main module has none, so
// they must not be required of the main module (wasm-ld: "undefined exported
// symbol"). malloc and free are always exported: the package passes
// quantizeModel's arguments through wasm memory.
//   node tools/wasm/side_imports.mjs OUT.json SIDE.wasm...
import { readFileSync, writeFileSync } from 'node:fs';

const [outJson, ...sides] = process.argv.slice(2);
const local = new Set(['__memory_base', '__table_base', '__stack_pointer', 'memory',
  '__indirect_function_table']);
const required = new Set(['malloc', 'free']);
for (const side of sides) {
  const module = new WebAssembly.Module(readFileSync(side));
  const imports = WebAssembly.Module.imports(module);
  const defined = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const names = new Set(imports.filter((i) => !local.has(i.name)).map((i) => i.name));
  // getTempRet0 (i64 legalization) is a JS library function of the glue: the
  // main link includes it (DEFAULT_LIBRARY_FUNCS_TO_INCLUDE) and
  // EXPORTED_FUNCTIONS puts it on Module, where the side module's import finds it.
  const own = [...names].filter((n) => !defined.has(n));
  for (const n of own) required.add(n);
  console.log(`${side}: ${imports.length} imports, ${own.length} symbols for the main module ` +
    `to export, ${names.size - own.length} defined here too`);
}
writeFileSync(outJson, JSON.stringify([...required].sort().map((n) => `_${n}`)) + '\n');
