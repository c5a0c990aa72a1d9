// qlite.relaxed.wasm (relaxed SIMD's int8 dot product, kernels_wasm/relaxed_dot.h):
// loadQlite() picks it only where it validates, and its kernels must give the
// bytes qlite.wasm gives (float outputs: within FMA rounding, fused-close.mjs). Node 20 validates relaxed SIMD only behind
// --experimental-wasm-relaxed-simd, and its V8 saturates the dot product on
// x86, which the probe must reject; the browser tests meet an exact engine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadQlite, repoDir, webDir } from './helpers.mjs';

test('without relaxed SIMD, or when told not to, qlite.wasm is loaded', async () => {
  const plain = await loadQlite({ relaxedSimd: false });
  assert.equal(plain.wasmBuild, 'simd128');
  assert.equal(plain.relaxedDot, 'unavailable');
  const auto = await loadQlite();
  assert.ok(['relaxed', 'simd128'].includes(auto.wasmBuild));
  if (auto.wasmBuild === 'simd128') assert.equal(auto.relaxedDot, 'unavailable');
});

// In a child Node with the flag: the relaxed build loads, probes, and every
// repository model gives the same bytes as qlite.wasm with both kernel sets
// (float outputs of the relaxed build: within sameOrFusedClose's tolerance,
// as V8 fuses relaxed_madd on FMA hardware).
const CHILD = `
import { loadQlite } from ${JSON.stringify(join(webDir, 'src', 'index.js'))};
import { readFileSync } from 'node:fs';
import { sameOrFusedClose } from ${JSON.stringify(join(webDir, 'test', 'fused-close.mjs'))};
const files = JSON.parse(process.argv[1]);
const relaxed = await loadQlite();
const plain = await loadQlite({ relaxedSimd: false });
const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array };
let seed = 7;
const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
const differences = [];
for (const file of files) {
  const bytes = readFileSync(file);
  const runs = [];
  for (const [q, kernels] of [[plain, 'reference'], [plain, 'simd'], [relaxed, 'simd']]) {
    const model = q.loadModel(bytes, { kernels });
    if (runs.length === 0) {
      seed = 7;
      runs.inputs = model.inputs.map((info) => {
        const x = new TYPED[info.dtype](info.shape.reduce((a, b) => a * b, 1));
        for (let i = 0; i < x.length; ++i) {
          x[i] = info.dtype === 'float32' ? (next() % 2001 - 1000) / 1000 : next();
        }
        return x;
      });
      runs.dtypes = model.outputs.map((info) => info.dtype);
    }
    runs.push(model.run(runs.inputs).map((y) => Buffer.from(y.buffer).toString('hex')));
    model.dispose();
  }
  const dtypes = runs.dtypes;
  const relaxedDiff = sameOrFusedClose(runs[2].join('|'), runs[0].join('|'), dtypes);
  if (runs[1].join() !== runs[0].join() || relaxedDiff !== '') {
    differences.push(file + (relaxedDiff && ': ' + relaxedDiff));
  }
}
console.log(JSON.stringify({ wasmBuild: relaxed.wasmBuild, relaxedDot: relaxed.relaxedDot,
  models: files.length, differences }));
`;

test('with --experimental-wasm-relaxed-simd: qlite.relaxed.wasm, same outputs', async (t) => {
  const models = readdirSync(join(repoDir, 'models')).filter((f) => f.endsWith('.tflite'))
    .map((f) => join(repoDir, 'models', f));
  assert.ok(models.length >= 4, 'the repository ships its models');
  const out = execFileSync(process.execPath,
    ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', CHILD,
      JSON.stringify(models)],
    { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop());
  t.diagnostic(`relaxed dot product in this Node: ${result.relaxedDot}`);
  assert.equal(result.wasmBuild, 'relaxed');
  assert.ok(['unsigned', 'signed', 'unavailable'].includes(result.relaxedDot));
  assert.equal(result.models, models.length);
  assert.deepEqual(result.differences, []);
});
