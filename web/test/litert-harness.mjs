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
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { repoDir, webDir } from './helpers.mjs';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const litertDir = join(repoDir, 'node_modules', '@litertjs', 'core');
export const litertUtilsDir = join(repoDir, 'node_modules', '@litertjs', 'wasm-utils');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

let playwright = null;
try {
  playwright = await import('playwright-core');
} catch {
  // reported by missingReason()
}

// Why the LiteRT.js browser tests cannot run here ('' when they can). Throws
// instead when CI=true: CI must run them.
export function missingReason() {
  const missing = !playwright ? 'playwright-core is not installed (npm ci at the repository root)'
    : !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install chromium)`
      : !existsSync(join(litertDir, 'wasm')) || !existsSync(join(litertUtilsDir, 'dist'))
        ? '@litertjs/core is not installed (npm ci at the repository root)' : '';
  if (missing && process.env.CI === 'true') {
    throw new Error(`${missing}, and CI=true requires the LiteRT.js tests`);
  }
  return missing;
}

export async function launchChromium() {
  return playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
// with inputs/outputs as [{ dtype, shape }] and run() returning typed-array copies.
export const LITERT_RUNNER = `
import { loadLiteRt, loadAndCompile, Tensor } from '/litert/dist/index.js';
const ELEMENT_TYPES = { 1: ['float32', Float32Array], 2: ['int32', Int32Array], 3: ['uint8', Uint8Array],
  7: ['int16', Int16Array], 9: ['int8', Int8Array] };
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
  const inputTypes = Array.from({ length: numInputs }, (_, i) => model.getInputTensorType(0, i));
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
        return results.map((buffer, i) => copyOut(buffer, outputs[i].ArrayType));
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
export async function startServer({ pages = {}, roots = {}, isolated = false } = {}) {
  const allRoots = { '/pkg/': webDir, '/litert/': litertDir, '/litert-utils/': litertUtilsDir, ...roots };
  const allPages = { '/litert-runner.js': [LITERT_RUNNER, '.js'], ...pages };
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const send = (status, body, type) => {
      const headers = { 'content-type': type, 'cache-control': 'no-store' };
      if (isolated) {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
      }
      response.writeHead(status, headers);
      response.end(body);
    };
    if (path === '/favicon.ico') return send(204, '', 'image/x-icon');
    let page = allPages[path];
    if (typeof page === 'function') page = page();
    if (page) return send(200, page[0], MIME[page[1]] ?? 'application/octet-stream');
    const prefix = Object.keys(allRoots).find((p) => path.startsWith(p));
    if (prefix) {
      const root = allRoots[prefix];
      const file = normalize(join(root, path.slice(prefix.length)));
      if (file.startsWith(root + sep) && existsSync(file)) {
        return send(200, readFileSync(file), MIME[extname(file)] ?? 'application/octet-stream');
      }
    }
    return send(404, 'not found', 'text/plain');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
