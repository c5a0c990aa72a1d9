// Every model in ../shared/models, run through the package, matches the
// outputs of the official TFLite runtime.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  TYPED, bytesOf, caseInputs, compareWithGolden, goldenCases, loadQlite, modelsDir, sharedModelsSkip,
} from './helpers.mjs';

const skip = sharedModelsSkip();
const qlite = await loadQlite();

test('every shared model matches its goldens (array inputs), with both kernel sets', { skip }, () => {
  const cases = goldenCases();
  assert.ok(cases.length >= 12, `expected 4 models x 3 seeds, found ${cases.length} cases`);
  for (const [c, options] of cases.flatMap((x) => [[x, undefined], [x, { kernels: 'reference' }]])) {
    const model = qlite.loadModel(bytesOf(c.model), options);
    try {
      // The SIMD kernels are the default.
      assert.equal(model.kernels, options ? 'reference' : 'simd');
      assert.equal(model.inputs.length, c.inputs.length, `${c.label}: input count`);
      assert.equal(model.outputs.length, c.outputs.length, `${c.label}: output count`);
      const outputs = model.run(caseInputs(model, c));
      outputs.forEach((out, o) => {
        const golden = new TYPED[model.outputs[o].dtype](bytesOf(c.outputs[o]).buffer);
        assert.equal(compareWithGolden(out, golden), '', `${c.label} output ${o}`);
      });
    } finally {
      model.dispose();
    }
  }
});

test('named inputs give the same outputs as positional ones, with both kernel sets', { skip }, () => {
  for (const c of goldenCases().filter((x) => x.label.endsWith('s1'))) {
    for (const kernels of ['reference', 'simd']) {
      const model = qlite.loadModel(bytesOf(c.model), { kernels });
      assert.equal(model.kernels, kernels);
      const inputs = caseInputs(model, c);
      const record = Object.fromEntries(model.inputs.map((info, i) => [info.name, inputs[i]]));
      const positional = model.run(inputs);
      const named = model.run(record);
      assert.deepEqual(named, positional, c.label);
      model.dispose();
    }
  }
});

test('tensor info: names, dtypes, shapes and quantization of micro_speech', { skip }, () => {
  const model = qlite.loadModel(bytesOf(join(modelsDir, 'micro_speech_quantized.tflite')));
  const [input] = model.inputs;
  const [output] = model.outputs;
  assert.equal(input.dtype, 'int8');
  assert.deepEqual(input.shape, [1, 1960]);
  assert.equal(input.bytes, 1960);
  assert.ok(input.scale > 0);
  assert.equal(input.zeroPoint, input.zeroPoints[0]);
  assert.deepEqual(input.scales, [input.scale]);
  assert.equal(output.dtype, 'int8');
  assert.deepEqual(output.shape, [1, 4]);
  // Softmax output: scale 1/256, zero point -128 (TFLite's fixed choice).
  assert.equal(output.scale, 1 / 256);
  assert.equal(output.zeroPoint, -128);
  assert.ok(Object.isFrozen(input) && Object.isFrozen(input.shape));
  assert.ok(model.arenaBytes > 0);
  model.dispose();
});

test('float model: unquantized tensors report scale 0 and no per-channel arrays', { skip }, () => {
  const path = goldenCases().find((c) => c.label.startsWith('hello_world_float')).model;
  const model = qlite.loadModel(bytesOf(path));
  const [input] = model.inputs;
  assert.equal(input.dtype, 'float32');
  assert.equal(input.scale, 0);
  assert.equal(input.zeroPoint, 0);
  assert.deepEqual(input.scales, []);
  model.dispose();
});

test('outputs are copies: a later run does not change an earlier result', { skip }, () => {
  const c = goldenCases().find((x) => x.label.startsWith('simple_add_model'));
  const model = qlite.loadModel(bytesOf(c.model));
  const first = model.run(caseInputs(model, c))[0];
  const kept = first.slice();
  const other = model.inputs.map((info) => new Int8Array(info.bytes).fill(7));
  model.run(other);
  assert.deepEqual(first, kept);
  first.fill(0); // writable and owned by the caller
  model.dispose();
});

test('profile(): one entry per op with a non-negative time in µs', { skip }, () => {
  const c = goldenCases().find((x) => x.label.startsWith('micro_speech'));
  const model = qlite.loadModel(bytesOf(c.model), { profile: true });
  model.run(caseInputs(model, c));
  const profile = model.profile();
  assert.deepEqual(profile.map((p) => p.op),
    ['RESHAPE', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX']);
  for (const p of profile) {
    assert.ok(Number.isFinite(p.us) && p.us >= 0, `${p.op}: ${p.us}`);
    assert.equal(typeof p.kernel, 'string');
    assert.equal(typeof p.options, 'string');
  }
  assert.ok(profile.reduce((sum, p) => sum + p.us, 0) > 0, 'the ops were timed');
  model.dispose();
});

test('profile() without { profile: true } throws: the ops were not timed', { skip }, () => {
  const c = goldenCases().find((x) => x.label.startsWith('micro_speech'));
  const model = qlite.loadModel(bytesOf(c.model), { kernels: 'simd' });
  model.run(caseInputs(model, c));
  assert.throws(() => model.profile(), { message: /profile\(\) needs the model loaded with \{ profile: true \}/ });
  model.dispose();
});
