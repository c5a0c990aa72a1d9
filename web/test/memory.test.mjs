// load/run/dispose 1,000 times: the wasm heap does not grow and malloc'd
// bytes return to where they were (every model's memory is freed).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bytesOf, caseInputs, goldenCases, loadQlite, modelsDir, sharedModelsSkip } from './helpers.mjs';

const skip = sharedModelsSkip();

test('1,000 load/run/dispose iterations do not grow the heap', { skip }, async () => {
  const qlite = await loadQlite();
  const c = goldenCases().find((x) => x.label.startsWith('micro_speech'));
  const bytes = bytesOf(c.model);
  const once = () => {
    const model = qlite.loadModel(bytes, { profile: true });
    model.run(caseInputs(model, c));
    model.profile();
    model.dispose();
  };
  for (let i = 0; i < 5; ++i) once(); // first-use allocations (embind type tables)
  const before = qlite.memoryStats();
  for (let i = 0; i < 1000; ++i) once();
  const after = qlite.memoryStats();
  assert.equal(after.heapBytes, before.heapBytes, 'wasm memory grew');
  assert.equal(after.mallocBytes, before.mallocBytes, 'malloc\'d bytes changed (leak)');
});

test('failed loads and failed runs free everything too', { skip }, async () => {
  const qlite = await loadQlite();
  const bytes = bytesOf(join(modelsDir, 'simple_add_model.tflite'));
  const fail = () => {
    assert.throws(() => qlite.loadModel(bytes.subarray(0, bytes.length >> 1)));
    const model = qlite.loadModel(bytes);
    assert.throws(() => model.run([new Int8Array(5), new Int8Array(5)]));
    model.dispose();
  };
  for (let i = 0; i < 5; ++i) fail();
  const before = qlite.memoryStats();
  for (let i = 0; i < 300; ++i) fail();
  assert.deepEqual(qlite.memoryStats(), before);
});
