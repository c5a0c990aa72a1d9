// Copies the wasm build (build/<preset>/web/qlite.{js,wasm}, qlite.relaxed.wasm
// and the side modules qlite-ops.wasm and qlite-quantize.wasm) into web/dist/, where src/index.js imports it. Run by
// `npm pack` (prepack) and by the tests.
// Each file is written to a temporary name and renamed, so concurrent runs
// (node --test runs test files in parallel) never see a half-written file.
import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = ['qlite.js', 'qlite.wasm', 'qlite.relaxed.wasm', 'qlite-ops.wasm',
  'qlite-quantize.wasm'];

export function copyWasm(buildDir = process.env.QLITE_WASM_BUILD ?? join(webDir, '..', 'build', 'wasm', 'web')) {
  const missing = FILES.filter((f) => !existsSync(join(buildDir, f)));
  if (missing.length) {
    throw new Error(`qlite: ${missing.join(', ')} not found in ${buildDir}; ` +
      `build it first: bash scripts/build.sh wasm`);
  }
  const distDir = join(webDir, 'dist');
  mkdirSync(distDir, { recursive: true });
  for (const f of FILES) {
    const from = join(buildDir, f);
    const to = join(distDir, f);
    if (existsSync(to) && statSync(to).mtimeMs >= statSync(from).mtimeMs &&
        statSync(to).size === statSync(from).size) continue;
    const tmp = `${to}.${process.pid}.tmp`;
    copyFileSync(from, tmp);
    renameSync(tmp, to);
  }
  return distDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.error(`qlite: wasm copied into ${copyWasm()}`); // stderr: `npm pack --json` owns stdout
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
