// Copies the wasm build (build/wasm/web/qlite.{js,wasm}, qlite.relaxed.wasm
// and the side modules qlite-ops.wasm and qlite-quantize.wasm; build/
// wasm-threads/web/qlite-threads.*) into web/dist/, where src/index.js
// imports it. Run by
// `npm pack` (prepack) and by the tests.
// Each file is written to a temporary name and renamed, so concurrent runs
// (node --test runs test files in parallel) never see a half-written file.
import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = ['qlite.js', 'qlite.wasm', 'qlite.relaxed.wasm', 'qlite-ops.wasm',
  'qlite-quantize.wasm'];
// The threaded main module (preset wasm-threads), next to the main build.
const THREADS_FILES = ['qlite-threads.js', 'qlite-threads.wasm', 'qlite-threads.relaxed.wasm',
  'qlite-threads.worker.js'];

export function copyWasm(
  buildDir = process.env.QLITE_WASM_BUILD ?? join(webDir, '..', 'build', 'wasm', 'web'),
  threadsDir = process.env.QLITE_WASM_THREADS_BUILD ??
    join(webDir, '..', 'build', 'wasm-threads', 'web')) {
  const sources = [...FILES.map((f) => [buildDir, f]), ...THREADS_FILES.map((f) => [threadsDir, f])];
  const missing = sources.filter(([dir, f]) => !existsSync(join(dir, f)));
  if (missing.length) {
    throw new Error(`qlite: ${missing.map(([dir, f]) => join(dir, f)).join(', ')} not found; ` +
      `build them first: bash scripts/build.sh wasm && bash scripts/build.sh wasm-threads`);
  }
  const distDir = join(webDir, 'dist');
  mkdirSync(distDir, { recursive: true });
  for (const [dir, f] of sources) {
    const from = join(dir, f);
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
