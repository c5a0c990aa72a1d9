// Types of the qlite npm package (src/index.js).

/** Element types, spelled as the core spells them. */
export type DType =
  | 'float32' | 'int8' | 'uint8' | 'int16' | 'int32'
  | 'float16' | 'float64' | 'int64' | 'uint16' | 'uint32' | 'uint64' | 'bool';

/** The dtypes quantize()/dequantize() accept. */
export type QuantizedDType = 'int8' | 'uint8' | 'int16' | 'int32';

/** Any typed array a model input or output can be held in. */
export type TensorData =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** One model input or output. Frozen. */
export interface TensorInfo {
  /** Tensor name in the .tflite file. */
  readonly name: string;
  /** Index of the tensor in the model's tensor list. */
  readonly index: number;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Byte size of the tensor's data. */
  readonly bytes: number;
  /** First (per-tensor) scale; 0 when the tensor is not quantized. */
  readonly scale: number;
  /** First (per-tensor) zero point; 0 when the tensor is not quantized. */
  readonly zeroPoint: number;
  /** Every scale: one entry per tensor, N entries per channel; empty if not quantized. */
  readonly scales: readonly number[];
  /** Zero points, same length as `scales`. */
  readonly zeroPoints: readonly number[];
  /** Axis of the per-channel scales. */
  readonly quantizedDimension: number;
  /** Human-readable summary, e.g. "scale=0.101716 zp=-128". */
  readonly quantization: string;
}

/** Time spent in one op during the last run(). */
export interface OpProfile {
  readonly node: number;
  /** TFLite's op name, e.g. "CONV_2D". */
  readonly op: string;
  /** The kernel that ran, e.g. "conv2d_reference". */
  readonly kernel: string;
  /** The op's options, e.g. "padding=SAME stride=2x2 dilation=1x1 activation=RELU". */
  readonly options: string;
  /** Wall time in microseconds (browsers may coarsen performance.now()). */
  readonly us: number;
}

export interface LoadModelOptions {
  /** 'reference' (default) or 'simd' (SIMD128 kernels where qlite has them). */
  kernels?: 'reference' | 'simd';
  /**
   * Time every op of each run() for profile(). Default false: reading the
   * clock around each op costs small models measurably in a browser.
   */
  profile?: boolean;
}

export interface Model {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Bytes of the one arena that holds every intermediate tensor. */
  readonly arenaBytes: number;
  /** Kernel set the model was prepared with. */
  readonly kernels: 'reference' | 'simd';
  readonly disposed: boolean;
  /**
   * Runs one inference. Inputs: one typed array per input in input order, or a
   * record keyed by input name; each must be the typed array of the input's
   * dtype (Int8Array for int8, Float32Array for float32, ...) and hold exactly
   * its elements. Inputs are copied into wasm memory. Returns new typed arrays
   * (copies owned by the caller, never views of wasm memory), one per output.
   * A single-input model also accepts the typed array itself.
   */
  run(inputs: readonly TensorData[] | Readonly<Record<string, TensorData>> | TensorData): TensorData[];
  /** Per-op wall time of the last run(); throws unless loaded with { profile: true }. */
  profile(): OpProfile[];
  /** Frees the model's wasm memory. Later calls throw; calling dispose() again does nothing. */
  dispose(): void;
}

export interface MemoryStats {
  /** Bytes currently allocated with malloc inside wasm. */
  mallocBytes: number;
  /** Size of the wasm linear memory. */
  heapBytes: number;
}

export type QuantizeMode = 'int8' | 'int8-fallback' | 'int16x8' | 'dynamic' | 'float16';

export interface QuantizeModelOptions {
  /** Default 'int8' (full integer; fails naming every op it cannot quantize). */
  mode?: QuantizeMode;
  /** Model input/output type of the integer modes; default 'float32'. */
  io?: 'float32' | 'int8' | 'uint8' | 'int16';
  /**
   * Calibration samples (needed by the integer modes): each sample is one
   * Float32Array (one-input models) or an array of one Float32Array per input.
   */
  representative?: ReadonlyArray<ArrayLike<number> | ReadonlyArray<ArrayLike<number>>>;
}

export interface Qlite {
  /** Reads and prepares a .tflite model. Throws an Error with the reader's message on bad bytes. */
  loadModel(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, options?: LoadModelOptions): Model;
  quantize: typeof quantize;
  dequantize: typeof dequantize;
  /**
   * Post-training quantization of a float .tflite; resolves to the new model's
   * bytes. Loads qlite_quantize.wasm on first use. Rejects with an Error
   * carrying the quantizer's message.
   */
  quantizeModel(floatBytes: Uint8Array | ArrayBuffer | ArrayBufferView,
                options?: QuantizeModelOptions): Promise<Uint8Array>;
  /** Diagnostics (leak checks). */
  memoryStats(): MemoryStats;
  /**
   * How the SIMD kernels use relaxed SIMD's int8 dot product: 'unsigned' or
   * 'signed' (the exact behaviour this engine showed when probed), or
   * 'unavailable' (qlite.wasm was loaded, or the engine's dot product is not
   * exact; the kernels then use i32x4.dot_i16x8_s). Outputs are the same bytes
   * in every case.
   */
  readonly relaxedDot: 'unsigned' | 'signed' | 'unavailable';
  /** Which module was loaded: qlite.relaxed.wasm ('relaxed') or qlite.wasm ('simd128'). */
  readonly wasmBuild: 'relaxed' | 'simd128';
}

export interface LoadQliteOptions {
  /** Where qlite.wasm is; default: dist/qlite.wasm next to the package's src/. */
  wasmUrl?: string | URL;
  /** The wasm bytes themselves (then nothing is fetched or read). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * Where qlite.relaxed.wasm (the build with relaxed SIMD) is, or its bytes;
   * default: next to qlite.wasm, unless wasmUrl or wasmBinary is given.
   */
  relaxedWasmUrl?: string | URL;
  relaxedWasmBinary?: ArrayBuffer | Uint8Array;
  /** false: load qlite.wasm even where relaxed SIMD validates. Default true. */
  relaxedSimd?: boolean;
  /** Where qlite_quantize.wasm is (fetched on the first quantizeModel()). */
  quantizeWasmUrl?: string | URL;
}

/**
 * Loads and compiles qlite.wasm, or qlite.relaxed.wasm where the engine
 * validates relaxed SIMD (from disk in Node, with fetch() elsewhere).
 */
export function loadQlite(options?: LoadQliteOptions): Promise<Qlite>;
export default loadQlite;

/**
 * q = clamp(round(x / scale) + zeroPoint): float32 division, rounding half away
 * from zero, NaN -> zeroPoint (TFLite's QUANTIZE). Returns the dtype's typed array.
 */
export function quantize(values: ArrayLike<number>, scale: number, zeroPoint: number,
                         dtype?: 'int8'): Int8Array;
export function quantize(values: ArrayLike<number>, scale: number, zeroPoint: number,
                         dtype: 'uint8'): Uint8Array;
export function quantize(values: ArrayLike<number>, scale: number, zeroPoint: number,
                         dtype: 'int16'): Int16Array;
export function quantize(values: ArrayLike<number>, scale: number, zeroPoint: number,
                         dtype: 'int32'): Int32Array;

/** x = scale * (q - zeroPoint) in float32 (TFLite's DEQUANTIZE). */
export function dequantize(values: ArrayLike<number>, scale: number, zeroPoint: number,
                           dtype?: QuantizedDType): Float32Array;
