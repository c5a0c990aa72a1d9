// qlite for JavaScript: loads qlite.wasm (from disk in Node, by URL in
// browsers and workers) and wraps the embind Model in a typed-array API.
// Everything returned to the caller is a copy: wasm memory can grow (which
// detaches views) and the next run overwrites the arena.
import createQliteModule from '../dist/qlite.js';
import { typeName } from './quantize-options.js';
import { quantizerMethods } from './quantizer-methods.js';
import { withSharedMemoryImport } from './shared-memory-import.js';

const isNode = typeof process === 'object' && process !== null &&
  typeof process.versions === 'object' && process.versions !== null &&
  typeof process.versions.node === 'string';

const NODE_FS = 'node:fs/promises';
// Node only (loadQlite({ threads }) there): worker_threads as Web Workers.
const NODE_THREADS = './node-threads.js';

// The default URLs, built on use: an AudioWorklet scope has no URL (it is
// given the bytes instead). Bundlers follow each new URL(..., import.meta.url).
const WASM_URL = () => new URL('../dist/qlite.wasm', import.meta.url);
// The same module with relaxed SIMD's int8 dot product patched in (see
// kernels_wasm/relaxed_dot.h); loaded where the engine validates it.
const RELAXED_WASM_URL = () => new URL('../dist/qlite.relaxed.wasm', import.meta.url);
// Side modules that qlite.wasm links: the long tail of the op table (at
// load time) and the quantizer (on the first quantizeModel()).
const QUANTIZE_WASM_URL = () => new URL('../dist/qlite-quantize.wasm', import.meta.url);
const OPS_WASM_URL = () => new URL('../dist/qlite-ops.wasm', import.meta.url);
// The threaded main module (loadQlite({ threads })), its glue, whose URL its
// workers import, and the workers' script.
const THREADS_WASM_URL = () => new URL('../dist/qlite-threads.wasm', import.meta.url);
const THREADS_RELAXED_WASM_URL = () => new URL('../dist/qlite-threads.relaxed.wasm', import.meta.url);
const THREADS_GLUE_URL = () => new URL('../dist/qlite-threads.js', import.meta.url);
const THREADS_WORKER_URL = () => new URL('../dist/qlite-threads.worker.js', import.meta.url);

// dtype name (as the core spells it) -> typed array constructor.
const TYPED_ARRAYS = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array,
  int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array,
  float16: Uint16Array, // raw IEEE half bits
};

const QUANTIZED_RANGES = {
  int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
};

function describe(info) {
  return `'${info.name}' (${info.dtype} [${info.shape.join(',')}])`;
}

// Model bytes as a Uint8Array without copying when possible.
function asModelBytes(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError(`qlite.loadModel: model bytes must be a Uint8Array, ArrayBuffer or ` +
    `ArrayBufferView, got ${typeName(bytes)}`);
}

function freezeInfo(info) {
  Object.freeze(info.shape);
  Object.freeze(info.scales);
  Object.freeze(info.zeroPoints);
  return Object.freeze(info);
}

// The bytes of a .wasm file: from disk under Node (fetch cannot read file:
// URLs there), else fetched.
async function readWasm(url) {
  if (isNode) {
    // A name in a variable: bundlers leave the import alone in a browser build.
    const { readFile } = await import(/* @vite-ignore */ NODE_FS);
    return readFile(url);
  }
  const response = await fetch(String(url));
  if (!response.ok) throw new Error(`qlite: cannot fetch ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// Links a side module (its bytes, a promise) into an instantiated main module
// and returns its exports; null for a static build (every op and the
// quantizer inside, no dynamic linker).
async function linkSideModule(wasm, bytesPromise, name, option) {
  if (typeof wasm.loadWebAssemblyModule !== 'function') return null;
  let bytes;
  try {
    bytes = new Uint8Array(await bytesPromise);
  } catch (error) {
    throw new Error(`qlite: cannot load ${name} (${error.message}); serve it next to ` +
      `qlite.wasm or pass ${option}`);
  }
  try {
    if (wasm.qliteThreaded) bytes = withSharedMemoryImport(bytes);
    return await wasm.loadWebAssemblyModule(bytes,
      { loadAsync: true, global: true, nodelete: true });
  } catch (error) {
    throw new Error(`qlite: ${name} is not a side module this qlite.wasm can link ` +
      `(${error.message ?? error})`);
  }
}

// Links the op module, qlite-ops.wasm, whose rows join the op table.
async function linkOpsModule(wasm, opsBytes) {
  const ops = await linkSideModule(wasm, opsBytes, 'the op module qlite-ops.wasm',
    'opsWasmUrl / opsWasmBinary');
  if (ops && (typeof ops.qlite_ops_register !== 'function' || !(ops.qlite_ops_register() > 0))) {
    throw new Error('qlite: qlite-ops.wasm registered no operators: not a qlite op module');
  }
}

// The native entries of quantizeModel (web/quantize_module.cc) and
// describeModel (web/describe_module.cc): qlite.wasm's own in a static build,
// else from the side module qlite-quantize.wasm.
async function linkQuantizer(wasm, url) {
  if (typeof wasm._qlite_quantize_model === 'function') {
    return {
      quantize: wasm._qlite_quantize_model, describe: wasm._qlite_describe_model,
      compare: wasm._qlite_compare_models,
    };
  }
  const module = await linkSideModule(wasm, readWasm(url), 'the quantizer qlite-quantize.wasm',
    'quantizeWasmUrl');
  if (typeof module?.qlite_quantize_model !== 'function' ||
      typeof module.qlite_describe_model !== 'function') {
    throw new Error('qlite: qlite-quantize.wasm has no qlite_quantize_model: not the quantizer');
  }
  return {
    quantize: module.qlite_quantize_model, describe: module.qlite_describe_model,
    compare: module.qlite_compare_models,
  };
}

// Instantiates one Emscripten module factory with its wasm from `wasmUrl()`
// (or `binary`); `extraArgs` joins the module's arguments.
async function instantiate(factory, wasmUrl, binary, extraArgs = {}) {
  // locateFile keeps the glue from building a URL of its own (none is fetched).
  const moduleArgs = { locateFile: (path) => path, ...extraArgs };
  if (binary) {
    moduleArgs.wasmBinary = binary;
  } else if (isNode) {
    // Node: read from disk (the glue's own loader would try fetch() on a file: URL).
    moduleArgs.wasmBinary = await readWasm(wasmUrl());
  } else {
    const url = String(wasmUrl());
    moduleArgs.instantiateWasm = (imports, done) => {
      const compile = async () => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`qlite: cannot fetch ${url}: HTTP ${response.status}`);
        if (WebAssembly.instantiateStreaming &&
            (response.headers.get('content-type') || '').startsWith('application/wasm')) {
          return WebAssembly.instantiateStreaming(response, imports);
        }
        return WebAssembly.instantiate(await response.arrayBuffer(), imports);
      };
      // A MAIN_MODULE build reads its dylink section from the module: pass it too.
      compile().then((result) => done(result.instance, result.module),
        (error) => rejectLoad(error));
      return {};
    };
  }
  let rejectLoad;
  const failed = new Promise((_, reject) => { rejectLoad = reject; });
  moduleArgs.onAbort = (what) => rejectLoad(new Error(`qlite: wasm aborted: ${what}`));
  return Promise.race([factory(moduleArgs), failed]);
}

// Why this scope cannot run the threaded module (null: it can).
function threadsUnavailable() {
  if (isNode) {
    return typeof SharedArrayBuffer === 'function' ? null
      : 'SharedArrayBuffer is unavailable in this Node';
  }
  if (typeof SharedArrayBuffer !== 'function' || globalThis.crossOriginIsolated !== true) {
    return 'SharedArrayBuffer is unavailable: the page is not cross-origin isolated (serve it ' +
      'with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: ' +
      'require-corp)';
  }
  if (typeof Worker !== 'function') return 'this scope cannot start workers';
  return null;
}

// Instantiates qlite-threads.wasm (or its relaxed twin) with `threads` - 1
// workers, started before it returns (see web/CMakeLists.txt); loadQlite
// then starts the pool every model shares on them (startThreads).
async function instantiateThreaded(options, relaxed, threads) {
  const glueUrl = options.threadsGlueUrl ?? THREADS_GLUE_URL();
  const { default: factory } = await import(/* @vite-ignore */ String(glueUrl));
  const workerUrl = String(options.threadsWorkerUrl ?? THREADS_WORKER_URL());
  const load = (extraArgs = {}) => instantiate(factory, () => (relaxed
    ? options.threadsRelaxedWasmUrl ?? THREADS_RELAXED_WASM_URL()
    : options.threadsWasmUrl ?? THREADS_WASM_URL()), undefined, {
    qlitePoolSize: threads - 1,
    mainScriptUrlOrBlob: String(glueUrl),
    locateFile: (path) => (path.endsWith('.worker.js') ? workerUrl : path),
    ...extraArgs,
  });
  let wasm;
  if (isNode) {
    // worker_threads in Web Worker clothes (node-threads.js); a name in a
    // variable, so that bundlers leave it out of browser builds.
    const { withWorkersOnNode } = await import(/* @vite-ignore */ NODE_THREADS);
    wasm = await withWorkersOnNode(() => load({
      // The glue takes Node's calling thread for a page's main thread and
      // warns that it spin-waits there, which harms no page in Node.
      printErr: (text) => {
        if (!String(text).startsWith('Blocking on the main thread')) console.warn(text);
      },
    }));
  } else {
    wasm = await load();
  }
  wasm.qliteThreaded = true;
  return wasm;
}

// Whether this engine validates the relaxed instructions qlite.relaxed.wasm
// holds: a module whose one function returns
// f32x4.relaxed_madd(i32x4.relaxed_dot_i8x16_i7x16_add_s(0, 0, 0), 0, 0).
function relaxedSimdValidates() {
  const zeros = [0xfd, 0x0c, ...new Array(16).fill(0)]; // v128.const 0
  const body = [0x00, ...zeros, ...zeros, ...zeros, 0xfd, 0x93, 0x02, ...zeros, ...zeros,
    0xfd, 0x85, 0x02, 0x0b];
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
    0x03, 0x02, 0x01, 0x00, // one function of type 0
    0x0a, body.length + 2, 0x01, body.length, ...body]);
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

class Model {
  #native;
  #wasm; // the module: its HEAPU8 (replaced when memory grows) reaches the tensors
  #inputs;
  #outputs;
  #inputAddresses;
  #outputAddresses;
  #signatures;
  #dynamicOutputs; // indices of the outputs each run gives a shape

  constructor(native, wasm) {
    this.#native = native;
    this.#wasm = wasm;
    this.#describeTensors();
  }

  // Tensor infos and addresses: fixed until resizeInput() plans the arena again.
  #describeTensors() {
    const native = this.#native;
    this.#inputs = Object.freeze(Array.from({ length: native.numInputs() },
      (_, i) => freezeInfo(native.inputInfo(i))));
    this.#outputs = Object.freeze(Array.from({ length: native.numOutputs() },
      (_, i) => freezeInfo(native.outputInfo(i))));
    this.#inputAddresses = this.#inputs.map((_, i) => native.inputAddress(i));
    this.#outputAddresses = this.#outputs.map((_, i) => native.outputAddress(i));
    this.#dynamicOutputs = this.#outputs.flatMap((info, i) => (info.dynamic ? [i] : []));
  }

  // A dynamic output's shape, bytes and memory are those of the last run.
  #describeDynamicOutputs() {
    const native = this.#native;
    const outputs = [...this.#outputs];
    for (const i of this.#dynamicOutputs) {
      outputs[i] = freezeInfo(native.outputInfo(i));
      this.#outputAddresses[i] = native.outputAddress(i);
    }
    this.#outputs = Object.freeze(outputs);
  }

  #live(what) {
    if (this.#native === null) throw new Error(`qlite: ${what} on a disposed model`);
    return this.#native;
  }

  /** Input tensors: name, dtype, shape, bytes, scale, zeroPoint, scales, zeroPoints, ... */
  get inputs() { this.#live('inputs'); return this.#inputs; }
  get outputs() { this.#live('outputs'); return this.#outputs; }
  /** Bytes of the one arena holding every intermediate tensor. */
  get arenaBytes() { return this.#live('arenaBytes').arenaBytes(); }
  /** 'reference' or 'simd'. */
  get kernels() { return this.#live('kernels').kernelSet(); }
  get disposed() { return this.#native === null; }

  /**
   * Runs the model. `inputs`: an array of typed arrays in input order, or a
   * record { inputName: TypedArray }. Returns a new array of typed arrays
   * (copies, owned by the caller), one per output, in output order. A
   * dynamic output's shape is then in `outputs`.
   * run(signatureKey, { name: TypedArray }) runs a signature instead and
   * returns { outputName: TypedArray } (see signatures).
   */
  run(inputs, signatureInputs) {
    if (typeof inputs === 'string') {
      const signature = this.signatures[inputs];
      if (!signature) {
        const keys = Object.keys(this.signatures);
        throw new Error(`qlite: the model has no signature '${inputs}' ` +
          `(signatures: ${keys.length ? keys.join(', ') : 'none'})`);
      }
      return signature.run(signatureInputs);
    }
    const native = this.#live('run()');
    const ordered = this.#orderInputs(inputs);
    ordered.forEach((data, i) => {
      const info = this.#inputs[i];
      const Expected = TYPED_ARRAYS[info.dtype];
      if (!Expected) {
        throw new Error(`qlite: input ${i} ${describe(info)} has a dtype the JS API cannot fill`);
      }
      if (!(data instanceof Expected)) {
        throw new TypeError(`qlite: input ${i} ${describe(info)} needs a ${Expected.name}, ` +
          `got ${typeName(data)}`);
      }
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (bytes.length !== info.bytes) {
        throw new Error(`qlite: ${native.inputSizeError(i, bytes.length)}`);
      }
      this.#wasm.HEAPU8.set(bytes, this.#inputAddresses[i]);
    });
    if (!native.invoke()) throw new Error(`qlite: ${native.lastError()}`);
    if (this.#dynamicOutputs.length > 0) this.#describeDynamicOutputs();
    const heap = this.#wasm.HEAPU8;
    return this.#outputs.map((info, i) => {
      const at = this.#outputAddresses[i];
      const copy = heap.slice(at, at + info.bytes); // own ArrayBuffer, offset 0: aligned
      const Ctor = TYPED_ARRAYS[info.dtype] ?? Uint8Array;
      return new Ctor(copy.buffer, 0, copy.byteLength / Ctor.BYTES_PER_ELEMENT);
    });
  }

  /**
   * The model's signatures (named entry points its converter wrote), by key:
   * { key, inputs: [names], outputs: [names], run(record) }. run() takes
   * { inputName: TypedArray } and returns { outputName: TypedArray }, as
   * model.run(key, record) does. Empty for a model without signatures.
   */
  get signatures() {
    const native = this.#live('signatures');
    if (this.#signatures === undefined) {
      const record = {};
      for (const s of native.signatures()) {
        record[s.key] = Object.freeze({
          key: s.key,
          inputs: Object.freeze(s.inputs.map((slot) => slot.name)),
          outputs: Object.freeze(s.outputs.map((slot) => slot.name)),
          run: (inputs) => this.#runSignature(s, inputs),
        });
      }
      this.#signatures = Object.freeze(record);
    }
    return this.#signatures;
  }

  #runSignature(signature, inputs) {
    if (signature.error) throw new Error(`qlite: ${signature.error}`);
    if (inputs === null || typeof inputs !== 'object' || ArrayBuffer.isView(inputs) ||
        Array.isArray(inputs)) {
      throw new TypeError(`qlite: signature '${signature.key}' takes a record ` +
        `{ inputName: TypedArray }, got ${typeName(inputs)}`);
    }
    const names = signature.inputs.map((slot) => slot.name);
    for (const key of Object.keys(inputs)) {
      if (!names.includes(key)) {
        throw new Error(`qlite: signature '${signature.key}' has no input '${key}' ` +
          `(inputs: ${names.join(', ')})`);
      }
    }
    const ordered = new Array(this.#inputs.length);
    for (const slot of signature.inputs) {
      if (!(slot.name in inputs)) {
        throw new Error(`qlite: signature '${signature.key}': input '${slot.name}' is missing`);
      }
      ordered[slot.position] = inputs[slot.name];
    }
    if (ordered.includes(undefined)) {
      throw new Error(`qlite: signature '${signature.key}' does not feed every model input`);
    }
    const outputs = this.run(ordered);
    return Object.fromEntries(signature.outputs.map((slot) => [slot.name, outputs[slot.position]]));
  }

  /**
   * Gives an input a new shape (e.g. another batch size where the model's
   * signature has -1) and prepares the model again for it, as TFLite's
   * ResizeInputTensor does. `input`: its index or name; `shape`: positive
   * integers. inputs/outputs then describe the new shapes. On error (a layer
   * that cannot take the shape) it throws and the model keeps its old shapes.
   * A new shape starts a new sequence: variable tensors are reset.
   */
  resizeInput(input, shape) {
    const native = this.#live('resizeInput()');
    const names = this.#inputs.map((info) => info.name);
    const i = typeof input === 'string' ? names.indexOf(input) : input;
    if (!Number.isInteger(i) || i < 0 || i >= names.length) {
      throw new Error(`qlite: resizeInput: no input ${JSON.stringify(input)} ` +
        `(inputs: ${names.join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 1 && d < 2 ** 31)) {
      throw new Error(`qlite: resizeInput: shape must be an array of positive integers, ` +
        `got ${JSON.stringify(shape)}`);
    }
    const error = native.resizeInput(i, shape);
    if (error) throw new Error(`qlite: ${error}`);
    this.#describeTensors();
  }

  /**
   * Gives the model's variable tensors (the state that SVDF, RNN ... carry
   * from one run() to the next) their initial values again: the model's
   * stored values, else zero. A loaded model starts from them.
   */
  resetVariables() {
    this.#live('resetVariables()').resetVariables();
  }

  /**
   * Per-op wall time of the last run: [{ node, op, kernel, options, us }].
   * Needs the model loaded with { profile: true }.
   */
  profile() {
    const native = this.#live('profile()');
    if (!native.profiling()) {
      throw new Error('qlite: profile() needs the model loaded with { profile: true }');
    }
    return native.profile();
  }

  /** Frees the model's wasm memory; any later call throws. Safe to call twice. */
  dispose() {
    if (this.#native !== null) {
      this.#native.delete();
      this.#native = null;
    }
  }

  #orderInputs(inputs) {
    const n = this.#inputs.length;
    if (Array.isArray(inputs)) {
      if (inputs.length !== n) {
        throw new Error(`qlite: the model has ${n} input${n === 1 ? '' : 's'}, got ${inputs.length}`);
      }
      return inputs;
    }
    if (ArrayBuffer.isView(inputs) && n === 1) return [inputs];
    if (inputs === null || typeof inputs !== 'object' || ArrayBuffer.isView(inputs)) {
      throw new TypeError(`qlite: run() takes an array of typed arrays or a record ` +
        `{ inputName: TypedArray }, got ${typeName(inputs)}`);
    }
    const names = this.#inputs.map((info) => info.name);
    for (const key of Object.keys(inputs)) {
      if (!names.includes(key)) {
        throw new Error(`qlite: the model has no input '${key}' (inputs: ${names.join(', ')})`);
      }
    }
    return names.map((name) => {
      if (!(name in inputs)) throw new Error(`qlite: input '${name}' is missing`);
      return inputs[name];
    });
  }
}

function checkQuantParams(fn, scale, zeroPoint, dtype) {
  const range = QUANTIZED_RANGES[dtype];
  if (!range) {
    throw new Error(`qlite.${fn}: dtype must be one of ${Object.keys(QUANTIZED_RANGES).join(', ')}, ` +
      `got '${dtype}'`);
  }
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new Error(`qlite.${fn}: scale must be finite and > 0, got ${scale}`);
  }
  if (!Number.isInteger(zeroPoint) || zeroPoint < range[0] || zeroPoint > range[1]) {
    throw new Error(`qlite.${fn}: zeroPoint must be an integer in [${range[0]}, ${range[1]}] ` +
      `for ${dtype}, got ${zeroPoint}`);
  }
  return range;
}

/**
 * q = clamp(round(x / scale) + zeroPoint) in float32 arithmetic, rounding half
 * away from zero; NaN -> zeroPoint. Same as the QUANTIZE kernel.
 */
function quantize(values, scale, zeroPoint, dtype = 'int8') {
  const [lo, hi] = checkQuantParams('quantize', scale, zeroPoint, dtype);
  const out = new TYPED_ARRAYS[dtype](values.length);
  const s = Math.fround(scale);
  for (let i = 0; i < values.length; ++i) {
    const q = Math.fround(Math.fround(values[i]) / s); // float32 division, as in C++
    const rounded = Number.isNaN(q) ? 0 : Math.sign(q) * Math.round(Math.abs(q));
    out[i] = Math.min(hi, Math.max(lo, rounded + zeroPoint));
  }
  return out;
}

/** x = scale * (q - zeroPoint), as a Float32Array. */
function dequantize(values, scale, zeroPoint, dtype = 'int8') {
  checkQuantParams('dequantize', scale, zeroPoint, dtype);
  const out = new Float32Array(values.length);
  const s = Math.fround(scale);
  for (let i = 0; i < values.length; ++i) out[i] = s * (Number(values[i]) - zeroPoint);
  return out;
}

/**
 * Loads and compiles qlite.wasm, or qlite.relaxed.wasm where the engine has
 * relaxed SIMD. Options: wasmUrl (string | URL) or wasmBinary (ArrayBuffer |
 * Uint8Array) to load qlite.wasm from elsewhere, relaxedWasmUrl /
 * relaxedWasmBinary likewise for qlite.relaxed.wasm (with wasmUrl or
 * wasmBinary but neither of these, qlite.wasm is used); relaxedSimd: false
 * to use qlite.wasm regardless; opsWasmUrl / opsWasmBinary for qlite-ops.wasm,
 * the op module that holds the long tail of the operators (loaded with
 * qlite.wasm; loadQlite fails if it cannot be read); quantizeWasmUrl for
 * qlite-quantize.wasm, the quantizer (linked on the first quantizeModel()).
 */
export async function loadQlite(options = {}) {
  const asked = options.threads ?? 1;
  if (!(Number.isSafeInteger(asked) && asked >= 1 && asked <= 64)) {
    throw new Error(`qlite: threads must be an integer from 1 to 64, got ${asked}`);
  }
  const customWasm = options.wasmUrl !== undefined || options.wasmBinary !== undefined;
  const customRelaxed =
    options.relaxedWasmUrl !== undefined || options.relaxedWasmBinary !== undefined;
  const relaxed = options.relaxedSimd !== false && (customRelaxed || !customWasm) &&
    relaxedSimdValidates();
  // The op module downloads while the main module compiles.
  const opsBytes = options.opsWasmBinary !== undefined
    ? Promise.resolve(options.opsWasmBinary)
    : readWasm(options.opsWasmUrl ?? OPS_WASM_URL());
  opsBytes.catch(() => {}); // reported by linkOpsModule, not as an unhandled rejection
  let threadsNote = asked > 1 ? threadsUnavailable() : null;
  if (asked > 1 && threadsNote === null && customWasm) {
    threadsNote = 'wasmUrl / wasmBinary name a single-threaded module';
  }
  const threaded = asked > 1 && threadsNote === null;
  const wasm = threaded
    ? await instantiateThreaded(options, relaxed, asked)
    : relaxed
      ? await instantiate(createQliteModule, () => options.relaxedWasmUrl ?? RELAXED_WASM_URL(),
        options.relaxedWasmBinary)
      : await instantiate(createQliteModule, () => options.wasmUrl ?? WASM_URL(),
        options.wasmBinary);
  const threads = wasm.startThreads(threaded ? asked : 1);
  await linkOpsModule(wasm, opsBytes);
  // The probe decides whether the SIMD kernels may use the instruction: only
  // where it is exact, so outputs stay the same bytes on every engine.
  const relaxedDot = relaxed ? wasm.useRelaxedDot(true) : 'unavailable';
  let quantizer = null; // qlite-quantize.wasm, linked on the first quantizeModel() / describeModel()
  const linkQuantizerOnce = () => {
    quantizer ??= linkQuantizer(wasm, options.quantizeWasmUrl ?? QUANTIZE_WASM_URL());
    return quantizer;
  };
  // The inputs of the model in `bytes`, for samples given as images.
  const inputInfosOf = (bytes) => () => {
    const model = api.loadModel(bytes);
    const { inputs } = model;
    model.dispose();
    return inputs;
  };
  const api = Object.freeze({
    /**
     * How the SIMD kernels use relaxed SIMD's int8 dot product: 'unsigned' or
     * 'signed' (the exact behaviour this engine showed), or 'unavailable'
     * (qlite.wasm, or an engine where it is not exact: i32x4.dot_i16x8_s then).
     */
    relaxedDot,
    /** Which module was loaded: 'relaxed' (qlite.relaxed.wasm) or 'simd128' (qlite.wasm). */
    wasmBuild: relaxed ? 'relaxed' : 'simd128',
    /**
     * Threads the models may use (options.threads where the threaded module
     * could be loaded, else 1), and why not, when fewer than asked.
     */
    threads,
    threadsNote,
    /**
     * Reads a .tflite model; options.kernels: 'simd' (default: SIMD kernels
     * where qlite has them, the reference kernel for every other op; the same
     * bytes) or 'reference' (reference kernels only, for checking);
     * options.profile: time every op of each run, for profile() (off by
     * default: the timer reads cost small models measurably in a browser);
     * options.maxTensorBytes: the most memory the model's tensors may take
     * (intermediate arena plus constants computed at load; default 1 GiB), so
     * that a hostile or huge model is refused with an error instead of
     * exhausting the tab; options.maxWhileIterations: the most times one WHILE
     * op may run its loop body in one run (default 1,000,000), so that a loop
     * that never ends fails with an error instead of hanging the page;
     * options.arithmetic: 'tflite' (default) or 'xnnpack' (see index.d.ts).
     */
    loadModel(bytes, {
      kernels = 'simd', profile = false, maxTensorBytes = 0, maxWhileIterations = 0,
      arithmetic = 'tflite', threads: modelThreads = threads,
    } = {}) {
      if (!(Number.isSafeInteger(modelThreads) && modelThreads >= 1)) {
        throw new Error(`qlite: threads must be a positive integer, got ${modelThreads}`);
      }
      if (!(Number.isSafeInteger(maxTensorBytes) && maxTensorBytes >= 0)) {
        throw new Error(`qlite: maxTensorBytes must be a non-negative integer (0: the default ` +
          `1 GiB), got ${maxTensorBytes}`);
      }
      if (!(Number.isSafeInteger(maxWhileIterations) && maxWhileIterations >= 0)) {
        throw new Error(`qlite: maxWhileIterations must be a non-negative integer (0: the ` +
          `default 1000000), got ${maxWhileIterations}`);
      }
      const native = new wasm.Model();
      const error = native.load(asModelBytes(bytes), String(kernels), Boolean(profile),
        maxTensorBytes, maxWhileIterations, String(arithmetic), Math.min(modelThreads, threads));
      if (error) {
        native.delete();
        throw new Error(`qlite: ${error}`);
      }
      return new Model(native, wasm);
    },
    quantize,
    dequantize,
    ...quantizerMethods({ wasm, linkQuantizer: linkQuantizerOnce, inputInfosOf, asModelBytes }),
    /**
     * Diagnostics: bytes malloc'd in wasm now, the wasm memory size, and how
     * many ranges of split nodes the pool's workers have run.
     */
    memoryStats() {
      return {
        mallocBytes: wasm.heapBytesInUse(), heapBytes: wasm.HEAPU8.length,
        workerRanges: wasm.workerRanges(),
      };
    },
  });
  return api;
}

export { quantize, dequantize };
export default loadQlite;
