// The float16-weight MobileNet of tests/tools/quantize_images_cli_test.cc,
// quantized by the qlite CLI (dynamic; int8 and int16x8 calibrated from a
// folder of PNG images the test writes), runs in LiteRT.js (npm
// @litertjs/core, wasm CPU) in Chromium and gives qlite's outputs there: the
// integer models identical on seeded inputs, the float-output ones within the
// measured bounds below.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoDir, simdAgrees } from './helpers.mjs';
import { openComparePage } from './compare-page.mjs';
import { missingReason } from './litert-harness.mjs';

const testBinary = join(repoDir, 'build', 'native', 'tests', 'qlite_tests');
let skip = missingReason();
if (!skip && !existsSync(testBinary)) {
  skip = `${testBinary} is missing (bash scripts/build.sh native)`;
  if (process.env.CI === 'true') throw new Error(`${skip}, and CI=true requires this test`);
}
const MODES = ['float16', 'dynamic', 'int8', 'int16x8'];

let dir;
let browserPage;
let page;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'qlite-image-models-'));
  execFileSync(testBinary, ['--gtest_filter=QuantizeImagesCli.EveryMode*'],
    { env: { ...process.env, QLITE_IMAGE_MODELS_OUT: dir }, stdio: 'ignore' });
  browserPage = await openComparePage(dir, MODES.map((mode) => `mobilenet_${mode}.tflite`));
  ({ page } = browserPage);
});

after(async () => {
  await browserPage?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the quantized MobileNets run in LiteRT.js and give qlite\'s outputs', { skip: skip || false, timeout: 300_000 }, async (t) => {
  for (const mode of MODES) {
    const f = `mobilenet_${mode}.tflite`;
    const r = await page.evaluate(([u, s]) => window.compare(u, s, 1), [`/models/${f}`, [1, 2]]);
    assert.equal(r.loadError, undefined, `LiteRT.js cannot load ${f}: ${r.loadError}`);
    assert.equal(r.lengthError, undefined, `${f}: output lengths differ (${r.lengthError})`);
    assert.equal(r.shapeError, undefined, `${f}: output shapes differ (${r.shapeError})`);
    t.diagnostic(`${f}: ${r.equal}/${r.values} values identical, max abs diff ${r.maxAbs}`);
    assert.ok(simdAgrees(r), `${f}: qlite's simd and reference kernels differ`);
    if (mode === 'int8' || mode === 'int16x8') {
      assert.equal(r.equal, r.values, `${f}: ${JSON.stringify(r.worst)}`);
    } else {
      // Float softmax outputs (~1e-3 each): float16 differs in summation
      // order only (measured 8e-10); dynamic's hybrid kernels quantize the
      // activations per run (measured 4e-6).
      assert.ok(r.maxAbs <= (mode === 'dynamic' ? 1e-5 : 1e-8), `${f}: ${JSON.stringify(r.worst)}`);
    }
  }
});
