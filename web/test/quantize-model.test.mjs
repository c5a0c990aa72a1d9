// qlite.quantizeModel (qlite-quantize.wasm, linked on first use): a float
// model quantized in JS runs through the package and stays close to the float
// model's outputs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bytesOf, loadQlite, modelsDir, repoDir, sharedModelsSkip } from './helpers.mjs';

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
    // hello_world's weights are under dynamic range's 1024-element threshold:
    // nothing to quantize, so that mode needs allowFloat (see below).
    const allowFloat = mode === 'dynamic';
    const bytes = await qlite.quantizeModel(floatBytes(), { mode, representative, allowFloat });
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

const repoModels = join(repoDir, 'models');

test('the resolved bytes carry the per-op-type report', { skip }, async () => {
  const bytes = await qlite.quantizeModel(floatBytes(), { mode: 'int8', representative });
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(Object.keys(bytes).includes('report'), false, 'report is not an enumerable byte');
  const { report } = bytes;
  assert.ok(Object.isFrozen(report) && Object.isFrozen(report.ops));
  // hello_world: three FULLY_CONNECTED layers, all int8.
  assert.equal(report.quantizedOps, 3);
  assert.equal(report.floatOps, 0);
  assert.equal(report.foldedFloat16, 0);
  assert.deepEqual(report.ops, [{ op: 'FULLY_CONNECTED', count: 3, status: 'quantized', result: 'int8' }]);
  assert.deepEqual(report.warnings, []);
});

test('a run that quantizes nothing rejects, and with allowFloat warns and resolves', { skip }, async () => {
  await assert.rejects(qlite.quantizeModel(floatBytes(), { mode: 'dynamic' }),
    { name: 'Error', message: /--mode dynamic quantized nothing; float:\n {2}node 0 \(FULLY_CONNECTED\): weights have fewer than 1024 elements/ });
  const warned = [];
  const warn = console.warn;
  console.warn = (text) => warned.push(text);
  let bytes;
  try {
    bytes = await qlite.quantizeModel(floatBytes(), { mode: 'dynamic', allowFloat: true });
  } finally {
    console.warn = warn;
  }
  assert.equal(bytes.report.quantizedOps, 0);
  assert.equal(bytes.report.floatOps, 3);
  assert.equal(bytes.report.warnings.length, 1);
  assert.match(bytes.report.warnings[0], /quantized nothing/);
  assert.equal(warned.length, 1);
  assert.match(warned[0], /^qlite\.quantizeModel: --mode dynamic quantized nothing/);
});

test('a float16-weight model: DEQUANTIZE folded, int8 everywhere, close to the float16 model', async () => {
  const halfBytes = bytesOf(join(repoModels, 'tutorial_float16.tflite'));
  const reference = qlite.loadModel(halfBytes);
  const [info] = reference.inputs;
  const count = info.shape.reduce((a, b) => a * b, 1);
  // Seeded [0, 1] images (the MNIST model's input range).
  let seed = 1;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const samples = Array.from({ length: 20 }, () => Float32Array.from({ length: count }, next));
  const bytes = await qlite.quantizeModel(halfBytes, { mode: 'int8', representative: samples });
  const { report } = bytes;
  assert.ok(report.foldedFloat16 > 0, JSON.stringify(report));
  assert.equal(report.floatOps, 0, JSON.stringify(report));
  assert.ok(report.ops.some((o) => o.op === 'DEQUANTIZE' && o.status === 'folded'), JSON.stringify(report));
  // int8 weights against float16 ones: the file shrinks by more than 1.8x.
  assert.ok(halfBytes.length / bytes.length > 1.8, `${halfBytes.length} -> ${bytes.length}`);
  const model = qlite.loadModel(bytes);
  for (const x of samples.slice(0, 5)) {
    const want = reference.run([x])[0];
    const got = model.run([x])[0];
    const largest = Math.max(...want.map(Math.abs));
    const worst = Math.max(...want.map((v, i) => Math.abs(v - got[i])));
    // 5% of the largest output: a few int8 steps of the logits.
    assert.ok(worst <= 0.05 * largest, `max |diff| ${worst} vs largest |output| ${largest}`);
  }
  model.dispose();
  reference.dispose();
});

test('converter options: per-tensor weights, a denylisted node, an I/O type per tensor', { skip }, async () => {
  const float = qlite.loadModel(floatBytes());
  const inputName = float.inputs[0].name;
  const outputName = float.outputs[0].name;
  float.dispose();
  const expected = floatOutputs();
  // The last FULLY_CONNECTED (named by its output) stays float; the input stays float32.
  const bytes = await qlite.quantizeModel(floatBytes(), {
    mode: 'int8', io: 'int8', representative, perChannel: false,
    denylistNodes: [outputName], inputTypes: { [inputName]: 'float32' },
  });
  const { report } = bytes;
  assert.equal(report.quantizedOps, 2, JSON.stringify(report));
  assert.equal(report.floatOps, 1);
  assert.deepEqual(report.ops.find((o) => o.status === 'float'),
    { op: 'FULLY_CONNECTED', count: 1, status: 'float', result: `denylisted: node '${outputName}'` });
  const model = qlite.loadModel(bytes);
  assert.equal(model.inputs[0].dtype, 'float32');
  const [output] = model.outputs;
  assert.equal(output.dtype, 'int8');
  probes.forEach((x, i) => {
    const [y] = model.run([new Float32Array([x])]);
    const value = qlite.dequantize(y, output.scale, output.zeroPoint, 'int8')[0];
    assert.ok(Math.abs(value - expected[i]) <= 0.06, `x=${x}: ${value} vs float ${expected[i]}`);
  });
  model.dispose();
  // A RegExp denylists by pattern: every FULLY_CONNECTED whose name matches.
  const all = await qlite.quantizeModel(floatBytes(), {
    mode: 'dynamic', allowFloat: true, denylistNodes: [/.*/], perChannel: false,
  });
  assert.equal(all.report.floatOps, 3);
  assert.match(all.report.ops[0].result, /^denylisted: node '.*' matches '\.\*'$/);
});

test('converter option errors name the option', { skip }, async () => {
  const bytes = floatBytes();
  const cases = [
    [{ denylistOps: 'FULLY_CONNECTED' }, TypeError, /denylistOps must be an array, got string/],
    [{ biasType: 'int16' }, TypeError, /biasType must be 'int64' or 'int32', got "int16"/],
    [{ perChannel: 'no' }, TypeError, /perChannel must be a boolean/],
    [{ denylistNodes: [/dense/i] }, TypeError, /RegExp \/dense\/i has flags/],
    [{ denylistNodes: ['a\nb'] }, TypeError, /without newlines/],
    [{ inputTypes: { x: 'float16' } }, TypeError, /inputTypes\['x'\] must be one of float32, int8, uint8, int16/],
    [{ denylistOps: ['FC'] }, Error, /denylist-ops: 'FC' is not a TFLite builtin op name/],
    [{ denylistNodes: ['dense(1'] }, Error, /denylist-nodes: node pattern 'dense\(1': missing '\)' at offset 7/],
    [{ inputTypes: { nope: 'int8' } }, Error, /--input-type: the model has no input named 'nope'/],
    [{ biasType: 'int32' }, Error, /an int32 bias applies to --mode int16x8 only/],
    [{ denylistOps: ['FULLY_CONNECTED'] }, Error,
      /int8 quantized nothing; float:\n {2}node 0 \(FULLY_CONNECTED\): denylisted: op type FULLY_CONNECTED/],
  ];
  for (const [options, name, message] of cases) {
    await assert.rejects(qlite.quantizeModel(bytes, { mode: 'int8', representative, ...options }),
      (error) => error.constructor === name && message.test(error.message), JSON.stringify(options));
  }
});

test('layerReport and autoDenylist: the per-layer report, the worst layers kept float', async () => {
  const tutorial = bytesOf(join(repoDir, 'models', 'tutorial_float.tflite'));
  const samples = Array.from({ length: 3 }, (_, n) =>
    new Float32Array(28 * 28).map((_, i) => ((i * 37 + n * 11) % 256) / 255));
  const measured = await qlite.quantizeModel(tutorial, { representative: samples, layerReport: true });
  const { layers, keptFloat, markdown, json, modelExplorer } = measured.layerReport;
  assert.deepEqual(keptFloat, []);
  // The same metrics compareModels measures on the written model.
  assert.deepEqual(layers, (await qlite.compareModels(tutorial, measured, samples)).layers);
  assert.deepEqual(JSON.parse(json).layers, layers);
  assert.match(markdown, /FULLY_CONNECTED/);
  assert.ok(Object.keys(JSON.parse(modelExplorer).results).length > 0);
  const worst = [...layers].sort((a, b) => b.rmseOverScale - a.rmseOverScale)[0].name;
  const kept = await qlite.quantizeModel(tutorial, { representative: samples, autoDenylist: 1 });
  assert.deepEqual(kept.layerReport.keptFloat, [worst]);
  assert.ok(!kept.layerReport.layers.some((layer) => layer.name === worst), 'the kept layer is float');
  assert.equal((await qlite.quantizeModel(tutorial, { representative: samples })).layerReport, undefined);
  for (const autoDenylist of ['2', -1, 1.5]) {
    await assert.rejects(qlite.quantizeModel(tutorial, { representative: samples, autoDenylist }),
      { name: 'TypeError', message: /autoDenylist must be a layer count/ });
  }
  await assert.rejects(qlite.quantizeModel(tutorial, { mode: 'float16', autoDenylist: 1 }),
    /auto-denylist measures quantized activations: it needs an integer mode, not float16/);
});
