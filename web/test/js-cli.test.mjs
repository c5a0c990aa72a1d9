// The package's CLI (bin/qlite.mjs) against the C++ CLI (build/native/qlite):
// the same inspect text, the same run output files and text, a quantized
// model that loads with the same per-op report, and the same errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../bin/qlite.mjs';
import {
  bytesOf, goldenCases, loadQlite, modelsDir, repoDir, sharedModelsSkip, webDir, writeOpModels,
} from './helpers.mjs';

const native = join(repoDir, 'build', 'native', 'qlite');
if (!existsSync(native)) throw new Error(`${native} is missing: build it with cmake --build build/native`);
const skipShared = sharedModelsSkip();
const shippedDir = join(repoDir, 'models');
const work = mkdtempSync(join(tmpdir(), 'qlite-js-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

function cpp(args) {
  const r = spawnSync(native, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Both CLIs on `args` (`dirs`: output directories, one per CLI, put in by `withDir`).
async function both(args, withDir) {
  const dirs = withDir ? ['cpp', 'js'].map((k) => mkdtempSync(join(work, `${k}-`))) : [];
  const c = cpp(withDir ? withDir(args, dirs[0]) : args);
  const js = await main(withDir ? withDir(args, dirs[1]) : args);
  return { c, js, dirs };
}

const tflites = (dir) => readdirSync(dir).filter((f) => f.endsWith('.tflite')).sort()
  .map((f) => join(dir, f));
const sharedModels = skipShared ? [] : [...tflites(modelsDir), ...tflites(join(modelsDir, 'seanet'))];
const shippedModels = tflites(shippedDir);

function sameFiles(dirs, label) {
  const [a, b] = dirs.map((d) => readdirSync(d).sort());
  assert.deepEqual(b, a, `${label}: output files`);
  assert.ok(a.length > 0, `${label}: no output files`);
  for (const f of a) {
    assert.ok(readFileSync(join(dirs[1], f)).equals(readFileSync(join(dirs[0], f))), `${label}: ${f}`);
  }
}

test('inspect: the same text as the C++ CLI on the shared models', { skip: skipShared }, async () => {
  for (const model of sharedModels) {
    for (const kernels of ['simd', 'reference']) {
      const { c, js } = await both(['inspect', model, '--kernels', kernels]);
      assert.equal(js.stdout, c.stdout, `${model} --kernels ${kernels}`);
      assert.equal(js.code, c.code, model);
      assert.equal(js.stderr, c.stderr, model);
    }
  }
});

test('inspect: the same text as the C++ CLI on the shipped models', async () => {
  for (const model of shippedModels) {
    const { c, js } = await both(['inspect', model]);
    assert.equal(c.code, 0, `${model}: ${c.stderr}`);
    assert.equal(js.stdout, c.stdout, model);
    assert.equal(js.code, 0, model);
  }
});

test('inspect: the same text on the one-op models of tests/cross_runtime', async () => {
  const dir = writeOpModels('qlite-js-cli-ops-');
  const models = tflites(dir);
  assert.ok(models.length > 100);
  let subgraphs = 0;
  for (const model of models) {
    const { c, js } = await both(['inspect', model]);
    assert.equal(js.stdout, c.stdout, model);
    assert.equal(js.code, c.code, model);
    if (/, \d+ subgraphs/.test(c.stdout)) ++subgraphs;
  }
  assert.ok(subgraphs > 0, 'no model with subgraphs (WHILE / IF) among them');
});

// --input arguments for a golden case, then --output-dir DIR.
const runArgs = (model, inputs, extra = []) => ['run', model, ...inputs.flatMap((p) => ['--input', p]), ...extra];
const intoDir = (args, dir) => [...args, '--output-dir', dir];

test('run: the same output files and text on the shared models\' golden inputs', { skip: skipShared }, async () => {
  const cases = goldenCases();
  assert.ok(cases.length > 0);
  for (const c of cases) {
    const { c: cc, js, dirs } = await both(runArgs(c.model, c.inputs), intoDir);
    assert.equal(cc.code, 0, `${c.label}: ${cc.stderr}`);
    assert.equal(js.code, 0, `${c.label}: ${js.stderr}`);
    assert.equal(js.stdout, cc.stdout, c.label);
    sameFiles(dirs, c.label);
  }
});

test('run: .csv inputs of the seanet models, simd and reference kernels', { skip: skipShared }, async () => {
  const dir = join(modelsDir, 'seanet');
  const files = readdirSync(dir);
  for (const model of tflites(dir)) {
    const stem = model.slice(dir.length + 1, -'.tflite'.length);
    const inputs = files.filter((f) => f.startsWith(`${stem}_input`)).sort().map((f) => join(dir, f));
    for (const kernels of ['simd', 'reference']) {
      const label = `${stem} ${kernels}`;
      const { c, js, dirs } = await both(runArgs(model, inputs, ['--kernels', kernels]), intoDir);
      assert.equal(c.code, 0, `${label}: ${c.stderr}`);
      assert.equal(js.stdout, c.stdout, label);
      assert.equal(js.code, 0, label);
      sameFiles(dirs, label);
    }
  }
});

// Seeded raw inputs for every input of `model` (floats in [-2, 2), integers any byte).
async function randomInputs(model, count, seed) {
  const qlite = await loadQlite();
  const m = qlite.loadModel(bytesOf(model));
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const paths = [];
  for (let step = 0; step < count; ++step) {
    m.inputs.forEach((info, i) => {
      const bytes = new Uint8Array(info.bytes);
      if (info.dtype === 'float32') {
        const floats = new Float32Array(bytes.buffer);
        for (let k = 0; k < floats.length; ++k) floats[k] = next() * 4 - 2;
      } else {
        for (let k = 0; k < bytes.length; ++k) bytes[k] = Math.floor(next() * 256);
      }
      const path = join(work, `in-${seed}-${step}-${i}.bin`);
      writeFileSync(path, bytes);
      paths.push(path);
    });
  }
  m.dispose();
  return paths;
}

test('run: the same output files and text on the shipped models, --steps, --arithmetic, --threads',
  async () => {
  for (const [k, model] of shippedModels.entries()) {
    const inputs = await randomInputs(model, 2, k + 1);
    for (const extra of [[], ['--steps', '2', '--reset'], ['--steps', '2', '--arithmetic', 'xnnpack'],
      ['--threads', '3']]) {
      const given = extra.includes('--steps') ? inputs : inputs.slice(0, inputs.length / 2);
      const label = `${model} ${extra.join(' ')}`;
      const { c, js, dirs } = await both(runArgs(model, given, extra), intoDir);
      assert.equal(c.code, 0, `${label}: ${c.stderr}`);
      assert.equal(js.stdout, c.stdout, label);
      assert.equal(js.code, 0, label);
      sameFiles(dirs, label);
    }
  }
});

// The per-op report: the quantize output from its second line to the size table.
const reportOf = (stdout) => stdout.split('\n\n')[0].split('\n').slice(1).join('\n');

test('quantize: writes a model that loads, with the C++ CLI\'s report', async () => {
  const qlite = await loadQlite();
  const float = join(shippedDir, 'tutorial_float.tflite');
  const npy = join(work, 'repr.npy');
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 28, 28, 1), }";
  const padded = header.padEnd(118, ' ') + '\n';
  const values = new Float32Array(3 * 28 * 28).map((_, i) => ((i * 37) % 256) / 255);
  writeFileSync(npy, Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length, 0]),
    Buffer.from(padded, 'latin1'), Buffer.from(values.buffer)]));
  const raw = join(work, 'repr.bin');
  writeFileSync(raw, Buffer.from(values.buffer));
  const runs = [
    ['--mode', 'float16'], ['--mode', 'dynamic'],
    ['--mode', 'int8', '--repr', 'random:4'], ['--mode', 'int8', '--repr', npy, '--io', 'uint8'],
    ['--mode', 'int16x8', '--repr', raw, '--per-tensor'],
    ['--mode', 'int8-fallback', '--repr', 'random:2', '--denylist-ops', 'FULLY_CONNECTED'],
  ];
  for (const flags of runs) {
    const label = flags.join(' ');
    const out = { cpp: join(work, 'q-cpp.tflite'), js: join(work, 'q-js.tflite') };
    const c = cpp(['quantize', float, '-o', out.cpp, ...flags]);
    const js = await main(['quantize', float, '-o', out.js, ...flags]);
    assert.equal(c.code, 0, `${label}: ${c.stderr}`);
    assert.equal(js.code, 0, `${label}: ${js.stderr}`);
    assert.equal(js.stdout.split('\n')[0], c.stdout.split('\n')[0].replace(out.cpp, out.js), label);
    assert.equal(reportOf(js.stdout), reportOf(c.stdout), label);
    const model = qlite.loadModel(bytesOf(out.js));
    assert.ok(model.outputs.length === 1, label);
    model.dispose();
    // The wasm and the native writer lay a model out alike, and both record
    // the same metadata entry: the same file, byte for byte.
    assert.deepEqual(bytesOf(out.js), bytesOf(out.cpp), `${label}: the models differ`);
    assert.equal(js.stdout, c.stdout.replaceAll(out.cpp, out.js), label);
  }
});

// The C++ CLI's calibration progress bar (stderr), which the JS CLI does not draw.
const withoutProgress = (stderr) => stderr.replace(/(\rcalibrating [^\r\n]*)+\n/g, '');

test('quantize --report / --auto-denylist / --model-explorer: the C++ CLI\'s files', async () => {
  const float = join(shippedDir, 'tutorial_float.tflite');
  const model = join(work, 'report-int8.tflite');
  const runs = [
    ['--report', 'r.md'], ['--report', 'r.json'], ['--model-explorer', 'explorer.json'],
    ['--auto-denylist', '2', '--report', 'r.md', '--model-explorer', 'explorer.json'],
    ['--auto-denylist', '1', '--report', 'r.json', '--io', 'uint8'],
  ];
  for (const flags of runs) {
    const label = flags.join(' ');
    const args = ['quantize', float, '-o', model, '--mode', 'int8', '--repr', 'random:3', ...flags];
    const { c, js, dirs } = await both(args, (a, dir) =>
      a.map((arg, i) => (['--report', '--model-explorer'].includes(a[i - 1]) ? join(dir, arg) : arg)));
    assert.equal(c.code, 0, `${label}: ${c.stderr}`);
    assert.equal(js.code, 0, `${label}: ${js.stderr}`);
    assert.equal(js.stdout, c.stdout, label);
    assert.match(js.stdout, /\nint8 +\d+ +[\d.]+x\n$/, label);
    assert.equal(js.stderr, withoutProgress(c.stderr), label);
    sameFiles(dirs, label);
    const kept = flags[0] === '--auto-denylist' ? Number(flags[1]) : 0;
    assert.equal(js.stdout.match(/^kept float by --auto-denylist: /gm)?.length ?? 0, kept, label);
  }
  // float16 and dynamic: the report holds the per-op-type table alone.
  for (const mode of ['float16', 'dynamic']) {
    const { c, js, dirs } = await both(['quantize', float, '-o', model, '--mode', mode, '--report'],
      (a, dir) => [...a, join(dir, 'r.md')]);
    assert.equal(js.code, c.code, `${mode}: ${js.stderr}`);
    assert.equal(js.stdout, c.stdout, mode);
    sameFiles(dirs, mode);
  }
});

test('compare: the C++ CLI\'s per-layer table, and the same errors', async () => {
  const float = join(shippedDir, 'tutorial_float.tflite');
  const quantized = join(work, 'compare-int8.tflite');
  // RESHAPE, CONV_2D, MAX_POOL_2D, RESHAPE, FULLY_CONNECTED (behind the output's conversion).
  for (const [flags, layers] of [[['--io', 'float'], 5], [['--io', 'uint8'], 5]]) {
    const made = cpp(['quantize', float, '-o', quantized, '--mode', 'int8', '--repr', 'random:3',
      ...flags]);
    assert.equal(made.code, 0, made.stderr);
    const { c, js } = await both(['compare', float, quantized, '--repr', 'random:3']);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(js.code, 0, js.stderr);
    assert.equal(js.stdout, c.stdout, flags.join(' '));
    assert.match(js.stdout, new RegExp(`\\n${layers} quantized layer\\(s\\) compared\\n$`));
    assert.match(js.stdout, /FULLY_CONNECTED/);
  }
  // --json: the same metrics (as JSON numbers) from both.
  const json = { cpp: join(work, 'c.json'), js: join(work, 'j.json') };
  cpp(['compare', float, quantized, '--repr', 'random:2', '--json', json.cpp]);
  await main(['compare', float, quantized, '--repr', 'random:2', '--json', json.js]);
  assert.deepEqual(JSON.parse(readFileSync(json.js, 'utf8')), JSON.parse(readFileSync(json.cpp, 'utf8')));
  for (const args of [
    ['compare', float], ['compare', float, quantized], ['compare', float, join(work, 'none.tflite')],
    ['compare', float, quantized, '--repr', 'random:0'],
  ]) {
    const { c, js } = await both(args);
    assert.equal(js.code, c.code, args.join(' '));
    assert.equal(js.stderr.split('\n')[0], c.stderr.split('\n')[0], args.join(' '));
  }
});

test('errors: the C++ CLI\'s messages and exit codes', async () => {
  const model = join(shippedDir, 'tutorial_float.tflite');
  const garbage = join(work, 'garbage.tflite');
  writeFileSync(garbage, 'not a flatbuffer at all, just text');
  const input = join(work, 'input.csv');
  writeFileSync(input, '1, 2, x');
  const cases = [
    [], ['bogus'], ['inspect'], ['inspect', model, '--wat'], ['inspect', model, '--kernels', 'fast'],
    ['inspect', join(work, 'missing.tflite')], ['inspect', garbage], ['inspect', model, '--help=1'],
    ['run', model], ['run', model, '--input', input], ['run', model, '--input', input, '--input', input],
    ['run', model, '--input', model], ['run', garbage, '--input', input],
    ['run', model, '--input', input, '--steps', '0'], ['run', model, '--input', input, '--arithmetic', 'x'],
    ['run', model, '--input', input, '--threads', '0'], ['run', model, '--input', input, '--threads', '65'],
    ['run', model, '--input', input, '--output-dir', join(work, 'nowhere')], ['run', model, '--steps'],
    ['quantize', model], ['quantize', model, '-o', join(work, 'o.tflite')],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int4'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int8'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'dynamic', '--io', 'int8'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int8', '--io', 'int3'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int8', '--repr', 'random:0'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int8', '--repr', 'a', '--repr', 'b'],
    ['quantize', garbage, '-o', join(work, 'o.tflite'), '--mode', 'float16'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int8', '--repr', model],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int8', '--repr', 'random:2',
      '--report', join(work, 'o.txt')],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int8', '--repr', 'random:2',
      '--auto-denylist', 'two'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int8', '--repr', 'random:2',
      '--auto-denylist', '1.5'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'int8', '--repr', 'random:2',
      '--auto-denylist'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'float16', '--auto-denylist', '1'],
    ['quantize', model, '-o', join(work, 'o.tflite'), '--mode', 'dynamic', '--model-explorer',
      join(work, 'o.json')],
  ];
  for (const args of cases) {
    const c = cpp(args);
    const js = await main(args);
    const label = args.join(' ');
    assert.notEqual(c.code, 0, label);
    assert.equal(js.code, c.code, `${label}: ${js.stderr}`);
    assert.equal(js.stderr.split('\n')[0], c.stderr.split('\n')[0], label);
  }
  for (const file of ['o.tflite', 'o.txt', 'o.json']) {
    assert.equal(existsSync(join(work, file)), false, `nothing written on failure: ${file}`);
  }
});

test('--help of each command, and the program itself', async () => {
  for (const command of ['inspect', 'run', 'quantize']) {
    const js = await main([command, '--help']);
    assert.equal(js.code, 0);
    assert.match(js.stdout, new RegExp(`^usage: qlite ${command} `));
  }
  const bin = join(webDir, 'bin', 'qlite.mjs');
  const r = spawnSync(process.execPath, [bin, 'inspect', join(shippedDir, 'lenet5_int8.tflite')],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, cpp(['inspect', join(shippedDir, 'lenet5_int8.tflite')]).stdout);
  assert.equal(spawnSync(process.execPath, [bin, 'run'], { encoding: 'utf8' }).status, 2);
});
