// Shared by the package tests: the freshly built wasm in web/dist, the real
// models of ../shared/models and the golden comparison of their README.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { copyWasm } from '../tools/copy-wasm.mjs';

export const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = join(webDir, '..');
export const modelsDir = join(repoDir, '..', 'shared', 'models');

copyWasm(); // web/dist <- build/wasm/web (throws with the build command if missing)

export const { loadQlite, quantize, dequantize } = await import('../src/index.js');

const inCI = process.env.CI === 'true';

// Skip-reason for tests that need ../shared/models; throws instead under CI=true.
export function sharedModelsSkip() {
  if (existsSync(modelsDir)) return false;
  if (inCI) throw new Error(`${modelsDir} is missing, and CI=true requires it`);
  return `${modelsDir} is not present next to the repository; real-model tests need it`;
}

// The one-op models of build/native/tests/qlite_op_models
// (tests/cross_runtime), written into a temporary directory that is removed
// after the test file; returns the directory. Throws when the generator is
// not built.
export function writeOpModels(prefix) {
  const generator = join(repoDir, 'build', 'native', 'tests', 'qlite_op_models');
  if (!existsSync(generator)) {
    throw new Error(`${generator} is missing: build it with cmake --build build/native`);
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(generator, [dir]);
  return dir;
}

export function bytesOf(path) {
  return new Uint8Array(readFileSync(path)); // own buffer, offset 0
}

// Every NAME.sK case of the top-level models: input and output .bin paths.
export function goldenCases() {
  const cases = [];
  const models = readdirSync(modelsDir).filter((f) => f.endsWith('.tflite')).sort();
  for (const file of models) {
    const stem = join(modelsDir, file.slice(0, -'.tflite'.length));
    for (let k = 1; ; ++k) {
      const list = (kind) => {
        const paths = [];
        while (existsSync(`${stem}.s${k}.${kind}${paths.length}.bin`)) {
          paths.push(`${stem}.s${k}.${kind}${paths.length}.bin`);
        }
        return paths;
      };
      const inputs = list('input');
      const outputs = list('output');
      if (!inputs.length || !outputs.length) break;
      cases.push({ label: `${file} s${k}`, model: join(modelsDir, file), inputs, outputs });
    }
  }
  return cases;
}

export const TYPED = {
  float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array,
};

// "" if `actual` matches `golden` (int: every element within 1 and the same
// arg-max; float32: relative error <= 1e-5), else what differs.
export function compareWithGolden(actual, golden) {
  if (actual.constructor !== golden.constructor) {
    return `type ${actual.constructor.name}, golden ${golden.constructor.name}`;
  }
  if (actual.length !== golden.length) return `length ${actual.length}, golden ${golden.length}`;
  const isFloat = actual instanceof Float32Array;
  for (let i = 0; i < actual.length; ++i) {
    const diff = Math.abs(actual[i] - golden[i]);
    const ok = isFloat ? diff <= 1e-5 * Math.max(Math.abs(golden[i]), 1e-6) : diff <= 1;
    if (!ok) return `element ${i}: ${actual[i]} vs golden ${golden[i]}`;
  }
  const argmax = (a) => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);
  if (actual.length) {
    const a = argmax(actual);
    const g = argmax(golden);
    if (a !== g && actual[a] !== actual[g]) return `arg-max ${a} vs golden ${g}`;
  }
  return '';
}

// Inputs of one golden case as typed arrays of the model's input dtypes.
export function caseInputs(model, c) {
  return c.inputs.map((path, i) => new TYPED[model.inputs[i].dtype](bytesOf(path).buffer));
}


export { FUSED_FLOAT_TOLERANCE, sameOrFusedClose, simdAgrees } from './fused-close.mjs';
