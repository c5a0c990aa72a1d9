// Every failure reaches JavaScript as an Error (or TypeError) whose message
// says what is wrong; nothing aborts the wasm instance.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bytesOf, loadQlite, modelsDir, repoDir, sharedModelsSkip } from './helpers.mjs';

const skip = sharedModelsSkip();
const qlite = await loadQlite();
const addModel = () => qlite.loadModel(bytesOf(join(modelsDir, 'simple_add_model.tflite')));
const addInputs = () => [new Int8Array(128 * 128), new Int8Array(128 * 128)];

test('bad model bytes: the reader\'s message', () => {
  assert.throws(() => qlite.loadModel(new Uint8Array([1, 2, 3])),
    { name: 'Error', message: /too small to be a \.tflite/ });
  const junk = new Uint8Array(4096).map((_, i) => (i * 37) & 0xff);
  assert.throws(() => qlite.loadModel(junk), { name: 'Error', message: /^qlite: ./ });
});

test('model bytes that are not bytes', () => {
  assert.throws(() => qlite.loadModel('model.tflite'),
    { name: 'TypeError', message: /must be a Uint8Array, ArrayBuffer or ArrayBufferView, got string/ });
  assert.throws(() => qlite.loadModel(null), { name: 'TypeError', message: /got null/ });
});

test('truncated real model: a clean error', { skip }, () => {
  const bytes = bytesOf(join(modelsDir, 'micro_speech_quantized.tflite'));
  assert.throws(() => qlite.loadModel(bytes.subarray(0, bytes.length / 2)), { name: 'Error' });
});

test('unknown kernel set', { skip }, () => {
  assert.throws(() => qlite.loadModel(bytesOf(join(modelsDir, 'simple_add_model.tflite')),
    { kernels: 'gpu' }), { message: /kernels must be 'reference' or 'simd', got 'gpu'/ });
});

test('wrong input size: the core\'s message names the input and both sizes', { skip }, () => {
  const model = addModel();
  assert.throws(() => model.run([new Int8Array(10), new Int8Array(128 * 128)]),
    { name: 'Error', message: /input 0 .*int8 \[1,128,128,1\].* needs 16384 bytes, got 10/ });
  model.dispose();
});

test('wrong input dtype', { skip }, () => {
  const model = addModel();
  assert.throws(() => model.run([new Float32Array(128 * 128), new Int8Array(128 * 128)]),
    { name: 'TypeError', message: /input 0 .*int8.* needs a Int8Array, got Float32Array/ });
  assert.throws(() => model.run([[1, 2, 3], new Int8Array(128 * 128)]),
    { name: 'TypeError', message: /needs a Int8Array, got Array/ });
  model.dispose();
});

test('wrong input count, names and shapes of the inputs argument', { skip }, () => {
  const model = addModel();
  const [a, b] = model.inputs.map((info) => info.name);
  assert.throws(() => model.run([new Int8Array(128 * 128)]), { message: /has 2 inputs, got 1/ });
  assert.throws(() => model.run({ [a]: new Int8Array(128 * 128) }),
    { message: new RegExp(`input '${b}' is missing`) });
  assert.throws(() => model.run({ nope: new Int8Array(1) }),
    { message: /has no input 'nope' \(inputs: / });
  assert.throws(() => model.run(42), { name: 'TypeError', message: /array of typed arrays or a record/ });
  model.dispose();
});

test('disposed model: every use throws, dispose twice is fine', { skip }, () => {
  const model = addModel();
  model.dispose();
  model.dispose();
  assert.equal(model.disposed, true);
  assert.throws(() => model.run(addInputs()), { message: /run\(\) on a disposed model/ });
  assert.throws(() => model.profile(), { message: /profile\(\) on a disposed model/ });
  assert.throws(() => model.inputs, { message: /disposed model/ });
  assert.throws(() => model.arenaBytes, { message: /disposed model/ });
});

test('the instance keeps working after errors', { skip }, () => {
  for (let i = 0; i < 50; ++i) {
    assert.throws(() => qlite.loadModel(new Uint8Array(64)));
  }
  const model = addModel();
  assert.throws(() => model.run([new Int8Array(3), new Int8Array(3)]));
  const [out] = model.run(addInputs());
  assert.equal(out.length, 128 * 128);
  model.dispose();
});

test('quantize/dequantize argument errors', () => {
  assert.throws(() => qlite.quantize([1], 0, 0, 'int8'), { message: /scale must be finite and > 0, got 0/ });
  assert.throws(() => qlite.quantize([1], NaN, 0, 'int8'), { message: /scale must be finite/ });
  assert.throws(() => qlite.quantize([1], 1, 300, 'int8'), { message: /zeroPoint must be an integer in \[-128, 127\]/ });
  assert.throws(() => qlite.dequantize([1], 1, 0, 'float32'), { message: /dtype must be one of int8, uint8, int16, int32/ });
});

test('maxTensorBytes caps what a model may allocate, at load and at resizeInput', () => {
  const bytes = bytesOf(join(repoDir, 'models', 'lenet5_float.tflite'));
  const arena = qlite.loadModel(bytes).arenaBytes;
  assert.throws(() => qlite.loadModel(bytes, { maxTensorBytes: arena - 1 }),
    { name: 'Error', message: /the arena would need \d+ bytes, more than max_tensor_bytes/ });
  const model = qlite.loadModel(bytes, { maxTensorBytes: arena });
  assert.equal(model.arenaBytes, arena);
  model.dispose();
  for (const bad of [-1, 1.5, NaN, '1000']) {
    assert.throws(() => qlite.loadModel(bytes, { maxTensorBytes: bad }),
      { name: 'Error', message: /maxTensorBytes must be a non-negative integer/ });
  }
});

test('a missing or wrong op module: loadQlite names qlite-ops.wasm', async () => {
  await assert.rejects(loadQlite({ opsWasmUrl: join(repoDir, 'no-such-dir', 'qlite-ops.wasm') }),
    { name: 'Error', message: /cannot load the op module qlite-ops\.wasm \(.*ENOENT/ });
  // A wasm module that is not a side module is refused by the dynamic linker.
  const notSide = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  await assert.rejects(loadQlite({ opsWasmBinary: notSide }),
    { name: 'Error', message: /qlite-ops\.wasm is not a side module this qlite\.wasm can link/ });
});

test('a missing quantizer module: quantizeModel names qlite-quantize.wasm', async () => {
  const elsewhere = await loadQlite({
    quantizeWasmUrl: join(repoDir, 'no-such-dir', 'qlite-quantize.wasm') });
  const floatModel = bytesOf(join(modelsDir, 'simple_add_model.tflite'));
  await assert.rejects(elsewhere.quantizeModel(floatModel, { mode: 'float16' }),
    { name: 'Error', message: /cannot load the quantizer qlite-quantize\.wasm \(.*ENOENT/ });
  // The instance still runs models.
  const model = elsewhere.loadModel(floatModel);
  assert.equal(model.run(addInputs()).length, 1);
  model.dispose();
});
