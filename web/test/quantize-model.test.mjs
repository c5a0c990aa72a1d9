// qlite.quantizeModel (qlite-quantize.wasm, linked on first use): a float
// model quantized in JS runs through the package and stays close to the float
// model's outputs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bytesOf, loadQlite, modelsDir, sharedModelsSkip } from './helpers.mjs';

const skip = sharedModelsSkip();
const qlite = await loadQlite();
const floatBytes = () => bytesOf(join(modelsDir, 'hello_world_float.tflite'));
// hello_world: y ~ sin(x) for x in [0, 2*pi]; 100 calibration samples of one value.
const representative = Array.from({ length: 100 }, (_, i) => new Float32Array([(i / 99) * 2 * Math.PI]));
const probes = [0.3, 1.2, 2.5, 4.0, 5.5];

function floatOutputs() {
  const model = qlite.loadModel(floatBytes());
  const ys = probes.map((x) => model.run([new Float32Array([x])])[0][0]);
  model.dispose();
  return ys;
}

test('int8 with int8 I/O: quantize the input, run, dequantize the output', { skip }, async () => {
  const expected = floatOutputs();
  const bytes = await qlite.quantizeModel(floatBytes(), { mode: 'int8', io: 'int8', representative });
  assert.ok(bytes instanceof Uint8Array && bytes.length > 0);
  const model = qlite.loadModel(bytes);
  const [input] = model.inputs;
  const [output] = model.outputs;
  assert.equal(input.dtype, 'int8');
  assert.equal(output.dtype, 'int8');
  probes.forEach((x, i) => {
    const q = qlite.quantize([x], input.scale, input.zeroPoint, 'int8');
    const [y] = model.run([q]);
    const value = qlite.dequantize(y, output.scale, output.zeroPoint, 'int8')[0];
    // A few output quantization steps (scale ~ 2/255) from the float model.
    assert.ok(Math.abs(value - expected[i]) <= 0.06, `x=${x}: ${value} vs float ${expected[i]}`);
  });
  model.dispose();
});

test('every mode with float I/O gives a model that runs on Float32Array inputs', { skip }, async () => {
  const expected = floatOutputs();
  for (const mode of ['int8-fallback', 'int8', 'int16x8', 'dynamic', 'float16']) {
    const bytes = await qlite.quantizeModel(floatBytes(), { mode, representative });
    const model = qlite.loadModel(bytes);
    assert.equal(model.inputs[0].dtype, 'float32', mode);
    probes.forEach((x, i) => {
      const [y] = model.run([new Float32Array([x])]);
      assert.ok(Math.abs(y[0] - expected[i]) <= 0.06, `${mode} x=${x}: ${y[0]} vs float ${expected[i]}`);
    });
    model.dispose();
  }
});

test('quantizeModel errors are Errors with the quantizer\'s message', { skip }, async () => {
  await assert.rejects(qlite.quantizeModel(floatBytes(), { mode: 'int4', representative }),
    { name: 'Error', message: /mode must be float16, dynamic, int8-fallback, int8 or int16x8, got 'int4'/ });
  await assert.rejects(qlite.quantizeModel(floatBytes(), { mode: 'int8', io: 'float64', representative }),
    { message: /io must be float32, int8, uint8 or int16, got 'float64'/ });
  await assert.rejects(qlite.quantizeModel(floatBytes(), { mode: 'int8' }),
    { message: /mode int8 needs representative samples/ });
  await assert.rejects(qlite.quantizeModel(new Uint8Array(7), { mode: 'float16' }),
    { message: /^qlite\.quantizeModel: model is too small/ });
  await assert.rejects(qlite.quantizeModel(floatBytes(), { representative: 'x' }),
    { name: 'TypeError', message: /representative must be an array of samples/ });
});
