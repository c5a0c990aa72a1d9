// model.signatures and run(key, record): a model whose signature names its
// inputs and outputs in another order than the model lists them
// (tests/cross_runtime/op_models_signature.cc, written by
// build/native/tests/qlite_op_models) runs by name, and every misuse is an
// Error that names the signature and the input.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bytesOf, loadQlite, writeOpModels } from './helpers.mjs';

const dir = writeOpModels('qlite-signatures-');
const qlite = await loadQlite();

test('signatures list the keys and names; run(key, record) feeds and reads by name', () => {
  const model = qlite.loadModel(bytesOf(join(dir, 'signature_add_sub_float32.tflite')));
  assert.deepEqual(Object.keys(model.signatures), ['serving_default']);
  const signature = model.signatures.serving_default;
  assert.equal(signature.key, 'serving_default');
  assert.deepEqual(signature.inputs, ['y', 'x']);
  assert.deepEqual(signature.outputs, ['diff', 'sum']);
  assert.ok(Object.isFrozen(model.signatures) && Object.isFrozen(signature));

  const x = Float32Array.of(5, 1, 0, -1);
  const y = Float32Array.of(2, 4, 0.5, -1);
  const out = signature.run({ x, y });
  assert.deepEqual(Object.keys(out), ['diff', 'sum']);
  assert.deepEqual(Array.from(out.diff), [3, -3, -0.5, 0]);
  assert.deepEqual(Array.from(out.sum), [7, 5, 0.5, -2]);
  // The same through run(key, record), and positionally in the model's order.
  assert.deepEqual(Array.from(model.run('serving_default', { y, x }).diff), [3, -3, -0.5, 0]);
  assert.deepEqual(Array.from(model.run([x, y])[1]), [3, -3, -0.5, 0]);
  model.dispose();
});

test('signature misuse is an Error naming what is wrong', () => {
  const model = qlite.loadModel(bytesOf(join(dir, 'signature_add_sub_float32.tflite')));
  const x = new Float32Array(4);
  assert.throws(() => model.run('encode', { x, y: x }),
    /no signature 'encode' \(signatures: serving_default\)/);
  assert.throws(() => model.signatures.serving_default.run({ x }),
    /signature 'serving_default': input 'y' is missing/);
  assert.throws(() => model.signatures.serving_default.run({ x, y: x, z: x }),
    /signature 'serving_default' has no input 'z' \(inputs: y, x\)/);
  assert.throws(() => model.signatures.serving_default.run([x, x]), TypeError);
  assert.throws(() => model.run('serving_default', { x, y: new Float32Array(3) }), /needs 16 bytes/);
  model.dispose();
  assert.throws(() => model.signatures, /disposed/);
});

test('a model without signatures has none', () => {
  const model = qlite.loadModel(bytesOf(join(dir, 'face_detection_style_float32.tflite')));
  assert.deepEqual(model.signatures, {});
  assert.throws(() => model.run('serving_default', {}), /signatures: none/);
  model.dispose();
});
