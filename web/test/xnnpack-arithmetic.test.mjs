// loadModel(bytes, { arithmetic: 'xnnpack' }) against LiteRT.js (npm
// @litertjs/core, which runs quantized convolutions and fully connected layers
// through XNNPACK) in Chromium: every shipped int8 model, the int8 models in
// ../shared/models (hello_world_int8 on each of its 256 input values), two
// synthetic MobileNets (made by `qlite synth`) and
// two graphs of qlite_op_models (a TF1-style uint8 MobileNet v1 and an NCHW-pattern int8 graph
// with TRANSPOSE, PAD and MEAN; tests/cross_runtime/op_models_xnnpack.cc) give
// LiteRT.js's bytes on every output value of three seeded inputs, with the
// reference and the SIMD kernels. The same models in the default 'tflite'
// arithmetic are reported (how many values differ) but not required to match:
// TFLite's fixed-point requantization rounds ties away from zero where
// XNNPACK's float one rounds them to even.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  modelsDir as sharedDir, repoDir, sharedModelsSkip, simdAgrees,
} from './helpers.mjs';
import { openComparePage } from './compare-page.mjs';
import { missingReason } from './litert-harness.mjs';

const qliteCli = join(repoDir, 'build', 'native', 'qlite');
const opModelsCli = join(repoDir, 'build', 'native', 'tests', 'qlite_op_models');
const OP_MODELS = ['xnnpack_mobilenet_v1_uint8', 'xnnpack_nchw_int8'];
let skip = missingReason() || false;
const missingCli = [qliteCli, opModelsCli].find((f) => !existsSync(f));
if (!skip && missingCli) {
  skip = `${missingCli} is missing (bash scripts/build.sh native)`;
  if (process.env.CI === 'true') throw new Error(`${skip}, and CI=true requires this test`);
}
const sharedSkip = skip || sharedModelsSkip();

const SHIPPED = ['lenet5_int8', 'tutorial_int8_fallback', 'tutorial_int8_uint8io',
  'tutorial_qat_int8'].map((n) => join(repoDir, 'models', `${n}.tflite`));
// hello_world_int8's input has a dynamic batch ([-1, 1] in its shape
// signature); LiteRT.js runs it on a [1, 1] buffer (web/test/litert-harness.mjs).
const SHARED = ['micro_speech_quantized', 'hello_world_int8', 'simple_add_model']
  .map((n) => join(sharedDir, `${n}.tflite`));

let dir;
let browserPage;
let page;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'qlite-xnnpack-'));
  const synth = [
    ['mobilenet_v1', ['--alpha', '0.25', '--size', '96', '--channels', '1']],
    ['mobilenet_v2', ['--alpha', '0.35', '--size', '96', '--channels', '3']],
  ];
  for (const [arch, args] of synth) {
    execFileSync(qliteCli, ['synth', arch, ...args, '-o', join(dir, `${arch}_synth_int8.tflite`)],
      { stdio: 'ignore' });
  }
  for (const f of [...SHIPPED, ...(sharedSkip ? [] : SHARED)]) copyFileSync(f, join(dir, basename(f)));
  const opModelsDir = join(dir, 'op_models');
  mkdirSync(opModelsDir);
  execFileSync(opModelsCli, [opModelsDir], { stdio: 'ignore' });
  for (const name of OP_MODELS) {
    copyFileSync(join(opModelsDir, `${name}.tflite`), join(dir, `${name}.tflite`));
  }
  browserPage = await openComparePage(dir, readdirSync(dir).filter((f) => f.endsWith('.tflite')));
  ({ page } = browserPage);
});

after(async () => {
  await browserPage?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// `seeds`: window.compare's (compare-page.mjs): seeds, or input 0's values.
async function compare(t, name, seeds = [1, 2, 3]) {
  const url = `/models/${name}.tflite`;
  const run = (arithmetic) => page.evaluate(([u, s, a]) => window.compare(u, s, 1, a),
    [url, seeds, arithmetic]);
  const xnnpack = await run('xnnpack');
  const tflite = await run('tflite');
  assert.equal(xnnpack.loadError, undefined, `LiteRT.js cannot load ${name}: ${xnnpack.loadError}`);
  t.diagnostic(`${name}: 'xnnpack' ${xnnpack.equal}/${xnnpack.values} identical; 'tflite' ` +
    `${tflite.equal}/${tflite.values} identical, max difference ${tflite.maxAbs}`);
  assert.ok(simdAgrees(xnnpack) && simdAgrees(tflite), `${name}: SIMD and reference kernels differ`);
  assert.equal(xnnpack.equal, xnnpack.values, `${name}: ${JSON.stringify(xnnpack.worst)}`);
}

test('shipped int8 models and synthetic MobileNets: LiteRT.js\'s bytes in \'xnnpack\' arithmetic',
  { skip, timeout: 300_000 }, async (t) => {
    for (const f of SHIPPED) await compare(t, basename(f, '.tflite'));
    await compare(t, 'mobilenet_v1_synth_int8');
    await compare(t, 'mobilenet_v2_synth_int8');
  });

test('uint8 MobileNet v1 and NCHW-pattern int8 graphs: LiteRT.js\'s bytes in \'xnnpack\' arithmetic',
  { skip, timeout: 300_000 }, async (t) => {
    for (const name of OP_MODELS) await compare(t, name);
  });

test('every int8 model of ../shared/models (micro_speech_quantized, hello_world_int8, ' +
  'simple_add_model): LiteRT.js\'s bytes in \'xnnpack\' arithmetic',
  { skip: sharedSkip, timeout: 300_000 }, async (t) => {
    await compare(t, 'micro_speech_quantized');
    await compare(t, 'simple_add_model');
    // One int8 input value: all 256 of them, one run each.
    await compare(t, 'hello_world_int8', Array.from({ length: 256 }, (_, i) => [i - 128]));
  });
