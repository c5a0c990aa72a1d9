// LiteRT.js (npm @litertjs/core, wasm CPU) next to the qlite package in one
// Chromium page, for differential tests and benchmarks. Node side: a static
// server with the routes both runtimes need, and a browser launcher. Page side:
// LITERT_RUNNER, a module served at /litert-runner.js.
//
// LiteRT.js's public Tensor class maps only float32, int32 and uint8 (its
// DATATYPES), and loadAndCompile() throws "Element type INT8 is not supported"
// while describing a model whose input or output is int8 or int16. The runner
// therefore drives the same embind calls that loadAndCompile() and run() make
// (liteRtWasm.loadModel, compileModel, LiteRtTensorBuffer.createManaged,
// CompiledModel.run) with the model's own tensor types, so every element type
// works; publicRun() uses the public API for the types it supports.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { browserMissing, startServer as startStaticServer } from './chromium.mjs';
import { repoDir, webDir } from './helpers.mjs';

export { CHROMIUM, launchChromium } from './chromium.mjs';
export const litertDir = join(repoDir, 'node_modules', '@litertjs', 'core');
export const litertUtilsDir = join(repoDir, 'node_modules', '@litertjs', 'wasm-utils');

// Why the LiteRT.js browser tests cannot run here ('' when they can). Throws
// instead when CI=true: CI must run them.
export function missingReason() {
  return browserMissing('the LiteRT.js tests', [
    [existsSync(join(litertDir, 'wasm')) && existsSync(join(litertUtilsDir, 'dist')),
      '@litertjs/core is not installed (npm ci at the repository root)'],
  ]);
}

// The page: an import map for LiteRT.js's one bare import, then `script`
// (module source) which may import '/litert-runner.js' and '/pkg/src/index.js'.
export function pageHtml(script) {
  return `<!doctype html><meta charset="utf-8"><title>qlite vs LiteRT.js</title>
<script type="importmap">{"imports": {"@litertjs/wasm-utils": "/litert-utils/dist/index.js"}}</script>
<script type="module">${script}</script>`;
}

// Runs in the page. initLiteRt() loads LiteRT.js's wasm (the plain or compat
// build, chosen by LiteRT.js from relaxed-SIMD support; no JSPI, which only
// WebNN and WebGPU partitioning need). loadLiteRtModel(bytes) compiles for
// the wasm CPU accelerator and returns { inputs, outputs, run(arrays), delete() }
// with inputs/outputs as [{ dtype, shape }] and run() returning typed-array copies
// (and their shapes, as the array's \`shapes\`).
export const LITERT_RUNNER = `
import { loadLiteRt, loadAndCompile, Tensor } from '/litert/dist/index.js';
const ELEMENT_TYPES = { 1: ['float32', Float32Array], 2: ['int32', Int32Array], 3: ['uint8', Uint8Array],
  4: ['int64', BigInt64Array], 6: ['bool', Uint8Array], 7: ['int16', Int16Array], 9: ['int8', Int8Array],
  10: ['float16', Uint16Array] };
let liteRt = null;

export async function initLiteRt(options = {}) {
  liteRt ??= await loadLiteRt('/litert/wasm/', options);
  return liteRt;
}

function describe(tensorType) {
  const elementType = tensorType.elementType().value;
  const layout = tensorType.layout();
  const dims = layout.dimensions();
  const shape = Array.from({ length: dims.size() }, (_, i) => dims.get(i));
  dims.delete();
  layout.delete();
  const [dtype, ArrayType] = ELEMENT_TYPES[elementType] ?? ['element type ' + elementType, null];
  return { dtype, shape, ArrayType };
}

// The model's type of an input has -1 where its shape signature has a
// dynamic dimension (a converter's batch: hello_world_int8 of ../shared/models
// has [-1, 1]), and such a type has no byte size (bytes() throws from
// litert_layout.h). LiteRT.js runs the model on a buffer of any static shape
// that fits: the input's type with 1 for each dynamic dimension, as in the
// tensor's own shape (tensorType itself when it has none).
function withStaticShape(wasm, tensorType) {
  const { shape } = describe(tensorType);
  if (shape.every((d) => d >= 0)) return tensorType;
  const dims = new wasm.VectorInt32();
  shape.forEach((d) => dims.push_back(d < 0 ? 1 : d));
  const layout = wasm.LiteRtLayout.create(dims);
  dims.delete();
  const type = wasm.LiteRtRankedTensorType.create({ value: tensorType.elementType().value }, layout);
  layout.delete();
  return type;
}

export async function loadLiteRtModel(bytes, { numThreads = 1 } = {}) {
  const wasm = liteRt.liteRtWasm;
  const environment = liteRt.getDefaultEnvironment();
  const ptr = wasm._malloc(bytes.byteLength);
  wasm.HEAPU8.set(bytes, ptr);
  let model = null;
  let compiled = null;
  try {
    model = wasm.loadModel(environment.liteRtEnvironment, ptr, bytes.byteLength);
    compiled = await wasm.compileModel(environment.liteRtEnvironment, model, {
      environment, accelerator: 'wasm', cpuOptions: { numThreads }, gpuOptions: {}, webNNOptions: {},
    });
  } catch (e) {
    compiled?.delete();
    model?.delete();
    wasm._free(ptr);
    throw new Error('LiteRT.js: ' + (e?.message ?? String(e)));
  }
  const signature = model.getSignature(0);
  const count = (names) => { const n = names.size(); names.delete(); return n; };
  const numInputs = count(signature.inputNames());
  const numOutputs = count(signature.outputNames());
  signature.delete();
  const inputTypes = Array.from({ length: numInputs }, (_, i) => {
    const type = model.getInputTensorType(0, i);
    const fixed = withStaticShape(wasm, type);
    if (fixed !== type) type.delete();
    return fixed;
  });
  const inputs = inputTypes.map(describe);
  const outputs = Array.from({ length: numOutputs }, (_, i) => {
    const type = model.getOutputTensorType(0, i);
    const info = describe(type);
    type.delete();
    return info;
  });
  // One host buffer per input, refilled on every run.
  const inputBuffers = inputTypes.map((type) => wasm.LiteRtTensorBuffer.createManaged(
    environment.liteRtEnvironment, wasm.LiteRtTensorBufferType.HOST_MEMORY, type, type.bytes()));
  const copyOut = (buffer, ArrayType) => {
    const at = buffer.lock(wasm.LiteRtTensorBufferLockMode.READ);
    try {
      return new ArrayType(wasm.HEAPU8.slice(at, at + buffer.packedSize()).buffer);
    } finally {
      buffer.unlock();
    }
  };
  return {
    inputs: inputs.map(({ dtype, shape }) => ({ dtype, shape })),
    outputs: outputs.map(({ dtype, shape }) => ({ dtype, shape })),
    async run(arrays) {
      arrays.forEach((array, i) => {
        if (!(array instanceof inputs[i].ArrayType)) {
          throw new TypeError('LiteRT.js input ' + i + ' must be a ' + inputs[i].ArrayType.name);
        }
        const buffer = inputBuffers[i];
        if (array.byteLength !== buffer.packedSize()) throw new RangeError('LiteRT.js input ' + i + ' size');
        const at = buffer.lock(wasm.LiteRtTensorBufferLockMode.WRITE);
        wasm.HEAPU8.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
        buffer.unlock();
      });
      const results = await compiled.run(0, inputBuffers);
      try {
        const arrays = results.map((buffer, i) => copyOut(buffer, outputs[i].ArrayType));
        // Each output buffer's shape (a dynamic output's is a scalar's: see
        // tests/cross_runtime/op_models_runtime_shapes.cc).
        arrays.shapes = results.map((buffer) => {
          const type = buffer.tensorType();
          try {
            return describe(type).shape;
          } finally {
            type.delete();
          }
        });
        return arrays;
      } finally {
        results.forEach((buffer) => buffer.delete());
      }
    },
    delete() {
      inputBuffers.forEach((buffer) => buffer.delete());
      inputTypes.forEach((type) => type.delete());
      compiled.delete();
      model.delete();
      wasm._free(ptr);
    },
  };
}

// The public API (loadAndCompile + Tensor), for float32/int32/uint8 I/O only:
// one run, to show the embind path above gives what applications get.
export async function publicRun(bytes, arrays, shapes) {
  const model = await loadAndCompile(bytes, { accelerator: 'wasm' });
  const tensors = arrays.map((array, i) => new Tensor(array, shapes[i]));
  try {
    const results = await model.run(tensors);
    const out = results.map((t) => t.toTypedArray());
    results.forEach((t) => t.delete());
    return out;
  } finally {
    tensors.forEach((t) => t.delete());
    model.delete();
  }
}
`;

// A static server on 127.0.0.1: `pages` maps exact paths to [body, extension]
// (or to a function returning one, evaluated per request); fixed roots:
// /pkg/ -> web/ (the qlite package), /litert/ -> @litertjs/core,
// /litert-utils/ -> @litertjs/wasm-utils, plus `roots` given by the caller.
// /litert-runner.js is always served. `isolated` adds the COOP/COEP headers
// that SharedArrayBuffer (LiteRT.js's threaded wasm) needs. Resolves to
// { origin, close() }.
export function startServer({ pages = {}, roots = {}, isolated = false } = {}) {
  return startStaticServer({
    pages: { '/litert-runner.js': [LITERT_RUNNER, '.js'], ...pages },
    roots: { '/pkg/': webDir, '/litert/': litertDir, '/litert-utils/': litertUtilsDir, ...roots },
    headers: isolated ? { 'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp' } : {},
  });
}
