// model.resizeInput(): models whose batch dimension is dynamic (written by
// build/native/tests/qlite_op_models) run at batch 1 and, resized, at batch
// 3; each row of the batch result is the batch-1 result of that row, byte for
// byte, with both kernel sets.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bytesOf, loadQlite, writeOpModels } from './helpers.mjs';

const dir = writeOpModels('qlite-resize-');
const qlite = await loadQlite();

function image(info, seed) {
  const n = info.shape.slice(1).reduce((a, b) => a * b, 1);
  const Typed = info.dtype === 'int8' ? Int8Array : Float32Array;
  const values = new Typed(n);
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < n; ++i) {
    x = (x * 1103515245 + 12345) >>> 0;
    values[i] = info.dtype === 'int8' ? (x >>> 24) - 128 : (x >>> 24) / 64 - 2;
  }
  return values;
}

for (const dtype of ['float32', 'int8']) {
  for (const kernels of ['reference', 'simd']) {
    test(`dynamic_batch_${dtype} (${kernels}): batch 3 gives the batch-1 rows`, () => {
      const model = qlite.loadModel(bytesOf(join(dir, `dynamic_batch_${dtype}.tflite`)), { kernels });
      const [input] = model.inputs;
      assert.deepEqual(input.shape, [1, 4, 4, 3]);
      const single = [1, 2, 3].map((s) => model.run([image(input, s)])[0]);

      model.resizeInput(input.name, [3, 4, 4, 3]);
      assert.deepEqual(model.inputs[0].shape, [3, 4, 4, 3]);
      assert.equal(model.inputs[0].bytes, 3 * input.bytes);
      assert.deepEqual(model.outputs[0].shape, [3, 5]);
      const batch = new (image(input, 1).constructor)(3 * 48);
      [1, 2, 3].forEach((s, row) => batch.set(image(input, s), row * 48));
      const [out] = model.run([batch]);
      [0, 1, 2].forEach((row) => {
        assert.deepEqual(out.slice(row * 5, row * 5 + 5), single[row], `row ${row}`);
      });

      model.resizeInput(0, [1, 4, 4, 3]);
      assert.deepEqual(model.run([image(input, 2)])[0], single[1]);
      model.dispose();
    });
  }
}

test('resizeInput errors name what is wrong and leave the model usable', () => {
  const model = qlite.loadModel(bytesOf(join(dir, 'dynamic_batch_float32.tflite')));
  const [input] = model.inputs;
  const before = model.run([image(input, 5)])[0];
  assert.throws(() => model.resizeInput('nope', [1, 4, 4, 3]), /no input "nope" \(inputs: image\)/);
  assert.throws(() => model.resizeInput(3, [1, 4, 4, 3]), /no input 3/);
  assert.throws(() => model.resizeInput(0, [1, 0, 4, 3]), /positive integers/);
  assert.throws(() => model.resizeInput(0, 'big'), /positive integers/);
  // Five channels where the convolution's filter has three.
  assert.throws(() => model.resizeInput(0, [1, 4, 4, 5]),
    /resizing input 0 'image' to \[1,4,4,5\]: node 0 \(CONV_2D\)/);
  assert.deepEqual(model.inputs[0].shape, [1, 4, 4, 3]);
  assert.deepEqual(model.run([image(input, 5)])[0], before);
  model.dispose();
  assert.throws(() => model.resizeInput(0, [1, 4, 4, 3]), /disposed/);
});
