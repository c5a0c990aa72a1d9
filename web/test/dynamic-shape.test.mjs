// Outputs whose shape is known only at run time (written by
// build/native/tests/qlite_op_models --dynamic): after each run(), model.outputs
// gives the shape and bytes of that run, with both kernel sets.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bytesOf, loadQlite, repoDir } from './helpers.mjs';

const generator = join(repoDir, 'build', 'native', 'tests', 'qlite_op_models');
if (!existsSync(generator)) {
  throw new Error(`${generator} is missing: build it with cmake --build build/native`);
}
const dir = mkdtempSync(join(tmpdir(), 'qlite-dynamic-'));
after(() => rmSync(dir, { recursive: true, force: true }));
execFileSync(generator, ['--dynamic', dir]);
const qlite = await loadQlite();
const load = (name, kernels) => qlite.loadModel(bytesOf(join(dir, `${name}.tflite`)), { kernels });

for (const kernels of ['reference', 'simd']) {
  test(`WHERE (${kernels}): each run gives its own [count, rank] output`, () => {
    const model = load('where_bool_output', kernels);
    assert.equal(model.outputs[0].dynamic, true);
    assert.equal(model.inputs[0].dynamic, false);
    const cond = new Uint8Array(24);
    cond[1] = 1; // [0, 0, 1]
    cond[23] = 1; // [1, 2, 3]
    let [coords] = model.run([cond]);
    assert.deepEqual(model.outputs[0].shape, [2, 3]);
    assert.equal(model.outputs[0].bytes, 48);
    assert.deepEqual(coords, new BigInt64Array([0n, 0n, 1n, 1n, 2n, 3n]));

    [coords] = model.run([new Uint8Array(24)]);
    assert.deepEqual(model.outputs[0].shape, [0, 3]);
    assert.equal(coords.length, 0);

    [coords] = model.run([new Uint8Array(24).fill(1)]);
    assert.deepEqual(model.outputs[0].shape, [24, 3]);
    assert.deepEqual(Array.from(coords.slice(-3)), [1n, 2n, 3n]);
    model.dispose();
  });

  test(`RESHAPE by a SHAPE chain (${kernels}) follows resizeInput`, () => {
    const model = load('reshape_by_shape_chain_output', kernels);
    const x = Float32Array.from({ length: 24 }, (_, i) => i);
    assert.deepEqual(model.run([x])[0], x);
    assert.deepEqual(model.outputs[0].shape, [2, 12]);
    model.resizeInput(0, [3, 3, 4]);
    const x3 = Float32Array.from({ length: 36 }, (_, i) => -i);
    assert.deepEqual(model.run([x3])[0], x3);
    assert.deepEqual(model.outputs[0].shape, [3, 12]);
    model.dispose();
  });

  test(`FILL from an input's dims (${kernels}), and a bad dims value`, () => {
    const model = load('fill_dims_input_output', kernels);
    const [value, dims] = model.inputs.map((info) => info.name);
    let [y] = model.run({ [dims]: new Int32Array([2, 1, 3]), [value]: new Float32Array([1.5]) });
    assert.deepEqual(model.outputs[0].shape, [2, 1, 3]);
    assert.deepEqual(y, new Float32Array(6).fill(1.5));
    assert.throws(() => model.run({ [dims]: new Int32Array([2, -1, 3]), [value]: new Float32Array([1]) }),
      /node 0 \(FILL\): dims \[2,-1,3\] has a negative size/);
    [y] = model.run({ [dims]: new Int32Array([1, 1, 1]), [value]: new Float32Array([-2]) });
    assert.deepEqual(model.outputs[0].shape, [1, 1, 1]);
    assert.deepEqual(y, new Float32Array([-2]));
    model.dispose();
  });
}
