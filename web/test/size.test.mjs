// Every shipped .wasm stays within the 400 KB budget (LiteRT.js ships 9.3 MB).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { webDir } from './helpers.mjs';

// A page loads one of the four main builds (threaded or not, relaxed SIMD or
// not) plus the op module, and the quantizer on first use: each stays within
// the budget.
for (const file of ['qlite.wasm', 'qlite.relaxed.wasm', 'qlite-threads.wasm',
  'qlite-threads.relaxed.wasm', 'qlite-ops.wasm', 'qlite-quantize.wasm']) {
  test(`${file} <= 400 KB`, (t) => {
    const wasm = readFileSync(join(webDir, 'dist', file));
    const gzip = gzipSync(wasm, { level: 9 }).length;
    t.diagnostic(`${file} ${wasm.length} bytes, gzip -9 ${gzip} bytes`);
    assert.ok(wasm.length <= 400 * 1024, `${file} is ${wasm.length} bytes, over 409600`);
  });
}
