// WHILE and IF through the npm package, on the control-flow models that
// qlite_op_models writes (tests/cross_runtime/op_models_control.cc): the
// values of a counted loop, and maxWhileIterations ending a loop that runs
// longer with an error instead of a hang.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadQlite, repoDir } from './helpers.mjs';

const generator = join(repoDir, 'build', 'native', 'tests', 'qlite_op_models');
const skip = existsSync(generator) ? false : `${generator} is missing (bash scripts/build.sh native)`;
const qlite = await loadQlite();
let dir;

before(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'qlite-control-'));
  execFileSync(generator, [dir]);
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// while (i < 3) { x = x * 0.75 + 1; i = i + 1 }
const counted = () => new Uint8Array(readFileSync(join(dir, 'while_count_float32.tflite')));

test('a WHILE loop runs until its condition is false', { skip }, () => {
  const model = qlite.loadModel(counted());
  // From i = 1: two runs of the body, x = 4 -> 4 -> 3 + 1 = 4 -> 4 (a fixed
  // point), x = 0 -> 1 -> 1.75.
  const [x, i] = model.run([new Float32Array([4, 0, 0, 0, 0, 0]), new Float32Array([1])]);
  assert.deepEqual(Array.from(x), [4, 1.75, 1.75, 1.75, 1.75, 1.75]);
  assert.deepEqual(Array.from(i), [3]);
  model.dispose();
});

test('maxWhileIterations ends a loop that runs longer, naming the node', { skip }, () => {
  const model = qlite.loadModel(counted(), { maxWhileIterations: 2 });
  const x = new Float32Array(6);
  assert.deepEqual(Array.from(model.run([x, new Float32Array([1])])[1]), [3]);  // 2 runs: allowed
  assert.throws(() => model.run([x, new Float32Array([0])]), {
    name: 'Error',
    message: /node 0 \(WHILE\): the loop ran its body max_while_iterations \(2\) times and its condition, subgraph 1 'cond', still holds/,
  });
  model.dispose();
  for (const bad of [-1, 1.5, NaN, '10']) {
    assert.throws(() => qlite.loadModel(counted(), { maxWhileIterations: bad }),
      { name: 'Error', message: /maxWhileIterations must be a non-negative integer/ });
  }
});
