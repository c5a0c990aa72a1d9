// The benchmark's default models: the two tutorial models in models/ and the
// synthetic vision models `qlite synth` writes into build/bench/ (seeded
// random weights, real layer shapes), each int8 and float32. One list for
// tests/bench/browser_bench.mjs and scripts/bench.sh:
//
//   node tests/bench/bench_models.mjs QLITE   makes the missing or stale synth
//                                              models with QLITE, prints every path
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const benchDir = join(repoDir, 'build', 'bench');

// [file name, `qlite synth` arguments]; the synth models' inputs are in [-1, 1].
const SYNTH_INT8 = [
  ['mobilenet_v1_0.25_96_gray', ['mobilenet_v1', '--alpha', '0.25', '--size', '96', '--channels', '1']],
  ['mobilenet_v2_1.0_224', ['mobilenet_v2', '--alpha', '1.0', '--size', '224']],
  ['blazeface_128', ['blazeface']],
  ['landmark_224', ['landmark']],
  ['segmentation_256', ['segmentation']],
];
export const SYNTH = SYNTH_INT8.flatMap(([name, args]) =>
  [[`${name}_int8.tflite`, args], [`${name}_float32.tflite`, [...args, '--float32']]]);

// The float range a model's inputs are meant to take (the image inputs' range
// for float inputs): MNIST pixels / 255 for the tutorial models, [-1, 1] else.
export function floatRange(path) {
  return /(^|\/)tutorial_[^/]*$/.test(path) ? [0, 1] : [-1, 1];
}

export function defaultModels() {
  return [join(repoDir, 'models', 'tutorial_int8_uint8io.tflite'),
    join(repoDir, 'models', 'tutorial_float.tflite'),
    ...SYNTH.map(([file]) => join(benchDir, file))];
}

// Writes the synth models that are missing or older than `qlite` (the
// generator may have changed).
export function makeSynthModels(qlite) {
  mkdirSync(benchDir, { recursive: true });
  for (const [file, args] of SYNTH) {
    const out = join(benchDir, file);
    if (existsSync(out) && statSync(out).mtimeMs > statSync(qlite).mtimeMs) continue;
    execFileSync(qlite, ['synth', ...args, '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const qlite = process.argv[2];
  if (!qlite || !existsSync(qlite)) {
    console.error('usage: node tests/bench/bench_models.mjs QLITE (the native qlite binary)');
    process.exit(2);
  }
  makeSynthModels(qlite);
  for (const m of defaultModels()) console.log(m);
}
