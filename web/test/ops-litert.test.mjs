// One-op models written by qlite's writer (tests/cross_runtime/make_op_models.cc,
// built as build/native/tests/qlite_op_models) run through qlite (reference
// and SIMD kernels) and LiteRT.js (npm @litertjs/core, wasm CPU) in Chromium
// on seeded values for every input. Integer and bool outputs must be
// identical; float32 outputs within 1e-5 relative (|a - b| <= 1e-5 *
// max(floor, |b|)): LiteRT.js may sum in another order. The floor is 1, and
// 10 for float BATCH_MATMUL, whose dot products of inputs in [-10, 10) pass
// through partial sums near 100 (one float32 ulp there is 7.6e-6) before they
// cancel to small outputs. Every op family adds its models in
// tests/cross_runtime/op_models_<family>.cc.
//
// int8 and uint8 RESIZE_BILINEAR may differ by 1: LiteRT.js runs them through
// XNNPACK, whose weights have 11 fraction bits (lrintf of the float fraction)
// and whose sums round half up, where TFLite's builtin kernel (and qlite) uses
// 10-bit weights rounded half away from zero (int8) or exact float weights
// plus 0.5, truncated (uint8). qlite's 'xnnpack' arithmetic (loadModel
// option) has XNNPACK's, and the second test requires LiteRT.js's bytes from
// it on every int8 and uint8 model; int16, which XNNPACK does not take, is
// identical in both.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoDir, simdAgrees } from './helpers.mjs';
import { openComparePage } from './compare-page.mjs';
import { missingReason } from './litert-harness.mjs';

const generator = join(repoDir, 'build', 'native', 'tests', 'qlite_op_models');
let skip = missingReason();
if (!skip && !existsSync(generator)) {
  skip = `${generator} is missing (bash scripts/build.sh native)`;
  if (process.env.CI === 'true') throw new Error(`${skip}, and CI=true requires this test`);
}


let dir;
let browserPage;
let page;
let models = [];

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'qlite-op-models-'));
  execFileSync(generator, [dir]);
  models = readdirSync(dir).filter((f) => f.endsWith('.tflite')).sort();
  browserPage = await openComparePage(dir, models);
  ({ page } = browserPage);
});

after(async () => {
  await browserPage?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Compares every model `f` for which pick(f) holds, with qlite loaded in
// `arithmetic` (loadModel's option).
async function compareModels(t, arithmetic, pick) {
  const picked = models.filter(pick);
  for (const f of picked) {
    const floor = f.startsWith('batch_matmul_float32') ? 10 : 1;
    const r = await page.evaluate(([u, s, fl, a]) => window.compare(u, s, fl, a),
      [`/models/${f}`, [1, 2, 3], floor, arithmetic]);
    assert.equal(r.loadError, undefined, `LiteRT.js cannot load ${f}: ${r.loadError}`);
    assert.equal(r.lengthError, undefined, `${f}: output lengths differ (${r.lengthError})`);
    assert.equal(r.shapeError, undefined, `${f}: output shapes differ (${r.shapeError})`);
    t.diagnostic(`${f}: ${r.equal}/${r.values} values identical, max relative diff ${r.maxRel}` +
      (r.simdEqual ? '' : `; simd vs reference ${r.simdMaxRel}`));
    assert.ok(simdAgrees(r), `${f}: qlite's simd and reference kernels differ`);
    if (r.dtype === 'float32') {
      assert.ok(r.maxRel <= 1e-5, `${f}: ${JSON.stringify(r.worst)}`);
    } else if (/^resize_bilinear_u?int8_/.test(f) && arithmetic === 'tflite') {
      assert.ok(r.maxAbs <= 1, `${f}: ${JSON.stringify(r.worst)}`);
    } else if (f.startsWith('xnnpack_') && arithmetic === 'tflite') {
      // The models of tests/cross_runtime/op_models_xnnpack*.cc: MEAN,
      // CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, LEAKY_RELU, QUANTIZE
      // and fused-activation bounds are XNNPACK's in LiteRT.js and round
      // some ties the other way than TFLite's kernels (docs/benchmarks.md,
      // 2026-12-06 node-by-node comparison). In 'xnnpack' arithmetic (the
      // second test) all are equal.
      assert.ok(r.maxAbs <= 1, `${f}: ${JSON.stringify(r.worst)}`);
    } else if (f === 'face_detection_style_int8.tflite' && arithmetic === 'tflite') {
      // LiteRT.js runs its convolutions through XNNPACK, whose fp32
      // requantization differs from TFLite's fixed-point one by 1 where a
      // result sits at a rounding boundary. Node by node
      // (tests/bench/compare_nodes.mjs) the two CONV_2D and the
      // DEPTHWISE_CONV_2D differ by 1 on 1-5 values each and PRELU, ADD and
      // RESIZE are identical; carried through the block, 40 of 3,072 outputs
      // end 1 apart. In 'xnnpack' arithmetic (the second test) all are equal.
      assert.ok(r.maxAbs <= 1 && r.equal >= 0.97 * r.values, `${f}: ${JSON.stringify(r.worst)}`);
    } else if (f === 'block_attention_int8.tflite' && arithmetic === 'tflite') {
      // LiteRT.js runs both int8 BATCH_MATMULs through XNNPACK, which rounds
      // requantization ties to even: node by node 1/768 (Q·Kᵀ) and 4/1536
      // (probs·V) values differ by 1, the rest (MUL, SELECT_V2, SOFTMAX) is
      // identical; 6 of 1,536 outputs end 1 apart. Identical in 'xnnpack'.
      assert.ok(r.maxAbs <= 1 && r.equal >= 0.99 * r.values, `${f}: ${JSON.stringify(r.worst)}`);
    } else if (f === 'block_layer_norm_int8.tflite' && arithmetic === 'tflite') {
      // XNNPACK takes its MEAN, SUB, MUL and ADD nodes: node by node the
      // first MEAN (2/24), SUB (24/768), both MULs (1/768, 5/768) and the
      // last ADD (3/768) differ by 1 (SQUARED_DIFFERENCE, RSQRT, the second
      // MEAN and ADD are identical). Identical in 'xnnpack'.
      assert.ok(r.maxAbs <= 1 && r.equal >= 0.9 * r.values, `${f}: ${JSON.stringify(r.worst)}`);
    } else {
      assert.equal(r.equal, r.values, `${f}: ${JSON.stringify(r.worst)}`);
    }
  }
  return picked.length;
}

test('one-op models: qlite gives LiteRT.js\'s outputs', { skip: skip || false, timeout: 300_000 }, async (t) => {
  assert.ok(models.length >= 12, `qlite_op_models wrote ${models.length} models`);
  await compareModels(t, 'tflite', () => true);
});

// XNNPACK's requantization only changes int8 / uint8 nodes.
test('int8 and uint8 models in \'xnnpack\' arithmetic: LiteRT.js\'s bytes', {
  skip: skip || false, timeout: 300_000,
}, async (t) => {
  const compared = await compareModels(t, 'xnnpack', (f) => /u?int8/.test(f));
  assert.ok(compared >= 100, `only ${compared} int8/uint8 models`);
});
