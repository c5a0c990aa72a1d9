// qlite.compareModels (qlite-quantize.wasm): the per-layer error of a model
// quantized by quantizeModel against its float model, as TFLite's
// QuantizationDebugger measures it (the C++ side: tests/quantize/layer_metrics_test.cc).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bytesOf, loadQlite, repoDir } from './helpers.mjs';

const qlite = await loadQlite();
const floatBytes = bytesOf(join(repoDir, 'models', 'tutorial_float.tflite'));
// Four deterministic 28x28 "images" in [0, 1].
const samples = Array.from({ length: 4 }, (_, n) =>
  new Float32Array(784).map((_, i) => ((i * 37 + n * 101) % 256) / 255));

test('compareModels: one row per quantized layer, exact moves, a small conv error', async () => {
  for (const io of ['float32', 'uint8']) {
    const int8 = await qlite.quantizeModel(floatBytes, { mode: 'int8', io, representative: samples });
    const { layers, table } = await qlite.compareModels(floatBytes, int8, samples);
    // The FULLY_CONNECTED output is found behind the DEQUANTIZE / QUANTIZE of the model output.
    assert.deepEqual(layers.map((l) => l.op),
      ['RESHAPE', 'CONV_2D', 'MAX_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED'], io);
    for (const l of layers) {
      assert.ok(Object.isFrozen(l));
      assert.ok(l.scale > 0 && l.numElements > 0, `${l.name}`);
      if (l.op === 'RESHAPE' || l.op === 'MAX_POOL_2D') {
        // Same scale in and out: the int8 op moves values exactly.
        assert.equal(l.meanSquaredError, 0, l.name);
        assert.equal(l.snrDb, null, `${l.name}: infinite SNR is JSON null`);
        assert.equal(l.cosine, 1, l.name);
      } else {
        assert.ok(l.meanSquaredError > 0 && l.rmseOverScale < 1, `${l.name}: ${l.rmseOverScale}`);
        assert.ok(l.cosine > 0.99 && l.snrDb > 20, `${l.name}: ${l.cosine} ${l.snrDb}`);
        assert.ok(l.maxAbsError >= Math.abs(l.meanError), l.name);
        // Per sample std <= rms; averaged over samples that stays so (Jensen).
        assert.ok(l.stddev <= Math.sqrt(l.meanSquaredError) * (1 + 1e-9), `${l.name}: std <= rms`);
      }
    }
    assert.match(table, new RegExp(`\\n${layers.length} quantized layer\\(s\\) compared\\n$`));
    assert.match(table, /^ node op {18}elements/);
  }
});

test('compareModels errors: no samples, wrong sample size, not a model', async () => {
  const int8 = await qlite.quantizeModel(floatBytes, { mode: 'int8', representative: samples });
  await assert.rejects(qlite.compareModels(floatBytes, int8, []), /no samples to compare on/);
  await assert.rejects(qlite.compareModels(floatBytes, int8, [new Float32Array(10)]),
    /not a whole number of samples of 784 values/);
  await assert.rejects(qlite.compareModels(floatBytes, new Uint8Array(16), samples),
    /qlite.compareModels: the quantized model: /);
  await assert.rejects(qlite.compareModels(floatBytes, int8, 'x'), TypeError);
});
