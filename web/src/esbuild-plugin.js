// esbuild plugin for apps that bundle qlite: esbuild leaves
// `new URL('../dist/qlite.wasm', import.meta.url)` as it is, which points
// next to the bundle where no .wasm is. The plugin turns each such URL in
// src/index.js into an import that esbuild's file loader copies into the
// output directory (hashed name) and resolves against the bundle's URL.
// Vite, Rollup and webpack understand the pattern themselves.
//   import qliteWasm from 'qlite/esbuild-plugin';
//   await esbuild.build({ ..., bundle: true, format: 'esm', plugins: [qliteWasm()] });
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(packageDir, 'src', 'index.js');
const WASM_URL = /new URL\('(\.\.\/dist\/[\w.-]+\.wasm)', import\.meta\.url\)/g;

export default function qliteWasm() {
  return {
    name: 'qlite-wasm',
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]index\.js$/ }, async (args) => {
        if (args.path !== ENTRY) return undefined; // another package's index.js
        const source = await readFile(args.path, 'utf8');
        const imports = [];
        const contents = source.replace(WASM_URL, (_, path) => {
          const name = `__qliteWasmFile${imports.length}`;
          imports.push(`import ${name} from ${JSON.stringify(path)};\n`);
          return `new URL(${name}, import.meta.url)`;
        });
        return { contents: imports.join('') + contents, loader: 'js', resolveDir: dirname(args.path) };
      });
      build.onLoad({ filter: /\.wasm$/ }, async (args) => {
        if (dirname(args.path) !== join(packageDir, 'dist')) return undefined;
        return { contents: await readFile(args.path), loader: 'file' };
      });
    },
  };
}
