// Types of the qlite npm package (src/index.js, beside this file).

/**
 * Element types, spelled as the core spells them (DTypeName). run() can fill
 * and return only the ones with a typed array (RunnableDType); a model whose
 * input has another dtype throws on run().
 */
export type DType =
  | 'float32' | 'float16' | 'float64'
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'bool' | 'int4' | 'string' | 'complex64' | 'complex128' | 'resource' | 'variant';

/** The typed array that holds each dtype's data in run()'s inputs and outputs. */
export interface TypedArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  /** One byte per element, 0 or 1. */
  bool: Uint8Array;
  /** Raw IEEE half-precision bits. */
  float16: Uint16Array;
}

/** The dtypes run() takes and returns as typed arrays. */
export type RunnableDType = keyof TypedArrayOf;

/** Any typed array a model input or output is held in. */
export type TensorData = TypedArrayOf[RunnableDType];

/** The typed array of dtype D; outputs of a dtype without one come back as raw bytes. */
export type TensorDataOf<D extends DType> = D extends RunnableDType ? TypedArrayOf[D] : Uint8Array;

/** The dtypes quantize() and dequantize() accept. */
export type QuantizedDType = 'int8' | 'uint8' | 'int16' | 'int32';

/** A .tflite file's bytes (a Node Buffer is a Uint8Array); not copied when a Uint8Array. */
export type ModelBytes = ArrayBuffer | ArrayBufferView;

/** One model input or output, as inputs/outputs list them. Frozen. */
export interface TensorInfo {
  /** Tensor name in the .tflite file. */
  readonly name: string;
  /** Index of the tensor in the model's tensor list. */
  readonly index: number;
  readonly dtype: DType;
  /**
   * Dimensions; follows resizeInput(). For a dynamic output, those of the
   * last run() (empty before the first).
   */
  readonly shape: readonly number[];
  /** Byte size of the tensor's data: what run() needs for an input. */
  readonly bytes: number;
  /**
   * An output whose shape depends on input values (tf.where, RESHAPE to a
   * computed shape...): each run() sets its shape and bytes.
   */
  readonly dynamic: boolean;
  /** First (per-tensor) scale; 0 when the tensor is not quantized. */
  readonly scale: number;
  /** First (per-tensor) zero point; 0 when the tensor is not quantized. */
  readonly zeroPoint: number;
  /** Every scale: one per tensor, or one per channel; empty if not quantized. */
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
  /** Node index in the model's operator list. */
  node: number;
  /** TFLite's op name, e.g. "CONV_2D". */
  op: string;
  /** The kernel that ran, e.g. "conv2d_reference". */
  kernel: string;
  /** The op's options, e.g. "padding=SAME stride=2x2 dilation=1x1 activation=RELU". */
  options: string;
  /** Wall time in microseconds (browsers coarsen performance.now()). */
  us: number;
}

/** The kernel sets a model can be prepared with. */
export type KernelSet = 'simd' | 'reference';

export interface LoadModelOptions {
  /**
   * 'simd' (default): SIMD kernels where qlite has them, the reference kernel
   * for every other op (the same bytes); 'reference': reference kernels only.
   */
  kernels?: KernelSet;
  /**
   * Time every op of each run() for profile(). Default false: reading the
   * clock around each op costs small models measurably in a browser.
   */
  profile?: boolean;
  /**
   * The most memory the model's tensors may take (intermediate arena plus
   * constants computed at load), a non-negative integer; 0 (default): 1 GiB.
   */
  maxTensorBytes?: number;
  /**
   * The most times one WHILE op may run its loop body in one run(), a
   * non-negative integer; 0 (default): 1,000,000. A loop that runs longer
   * fails with an error naming the op and its condition subgraph.
   */
  maxWhileIterations?: number;
  /**
   * How the int8/uint8 ops that XNNPACK runs (convolutions, fully connected)
   * requantize. 'tflite' (default): TFLite's builtin kernels' fixed-point
   * arithmetic, the bytes of TFLite-Micro and of TFLite without delegates.
   * 'xnnpack': XNNPACK's float32 arithmetic, the bytes of LiteRT.js, of
   * TFLite with its default XNNPACK delegate and of Android.
   */
  arithmetic?: 'tflite' | 'xnnpack';
  /**
   * Threads this model's large nodes split over, at most Qlite.threads
   * (default: all of them). Outputs are the same bytes for every count.
   */
  threads?: number;
}

/**
 * run()'s inputs: one typed array per input in `inputs` order, a record keyed
 * by input name, or (one-input models) the typed array itself.
 */
export type RunInputs =
  | readonly TensorData[]
  | Readonly<Record<string, TensorData>>
  | TensorData;

/**
 * A named entry point of the model (TFLite's SignatureDef), from
 * Model.signatures: the converter's names for its inputs and outputs.
 */
export interface Signature {
  readonly key: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /**
   * Runs the model with inputs by signature name; returns the outputs by
   * signature name. Throws an Error naming a missing or unknown input, or
   * why the signature cannot run (one of another subgraph).
   */
  run(inputs: Readonly<Record<string, TensorData>>): Record<string, TensorData>;
}

/** A loaded model (from Qlite.loadModel). Every member but `disposed` and dispose() throws once disposed. */
export interface Model {
  /** The inputs in order. Frozen; replaced by resizeInput(). */
  readonly inputs: readonly TensorInfo[];
  /** The outputs in order. Frozen; replaced by resizeInput(), and by run() when one is dynamic. */
  readonly outputs: readonly TensorInfo[];
  /** Bytes of the one arena that holds every intermediate tensor. */
  readonly arenaBytes: number;
  /** Kernel set the model was prepared with. */
  readonly kernels: KernelSet;
  /** True after dispose(). */
  readonly disposed: boolean;
  /**
   * Runs one inference. Each input must be the typed array of its dtype
   * (TypedArrayOf) and hold exactly its bytes; inputs are copied into wasm
   * memory. Returns new typed arrays (copies owned by the caller), one per
   * output, in output order; a dynamic output's shape is then in `outputs`.
   * Throws a TypeError for a wrong array type, an Error for a wrong size,
   * name or count.
   */
  run(inputs: RunInputs): TensorData[];
  /** Runs signature `key` (see signatures): signatures[key].run(inputs). */
  run(key: string, inputs: Readonly<Record<string, TensorData>>): Record<string, TensorData>;
  /** The model's signatures by key; empty if its file has none. Frozen. */
  readonly signatures: Readonly<Record<string, Signature>>;
  /**
   * Gives an input (its index or name) a new shape of positive integers and
   * prepares the model again, as TFLite's ResizeInputTensor does. On error
   * it throws and the model keeps its old shapes. A new shape resets the
   * variable tensors.
   */
  resizeInput(input: number | string, shape: readonly number[]): void;
  /**
   * Gives the variable tensors (the state SVDF, RNN ... keep from one run()
   * to the next) their initial values again: the model's stored values, else
   * zero. A loaded model starts from them.
   */
  resetVariables(): void;
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
  /** Ranges of split nodes the pool's workers have run (0 with one thread). */
  workerRanges: number;
}

/**
 * 'int8' full integer (fails naming every op it cannot quantize);
 * 'int8-fallback' float where an op has no int8 kernel; 'int16x8' int16
 * activations, int8 weights; 'dynamic' int8 weights, float activations;
 * 'float16' float16 weights.
 */
export type QuantizeMode = 'int8' | 'int8-fallback' | 'int16x8' | 'dynamic' | 'float16';

/** A model input's or output's type after quantization. */
export type QuantizeIoType = 'float32' | 'int8' | 'uint8' | 'int16';

/** One calibration input: its float values in the input's element order. */
export type SampleInput = Float32Array | readonly number[];

/**
 * An image for calibration, as ImageData and canvases give it: RGBA bytes,
 * width * height * 4 of them. quantizeModel resizes it to the input's H x W
 * (bilinear) and normalises it as QuantizeModelOptions' color, mean, std, range say.
 */
export interface ImageLike {
  readonly data: Uint8ClampedArray | Uint8Array | readonly number[];
  readonly width: number;
  readonly height: number;
}

/**
 * A decoded browser image: an ImageBitmap, or an <img> that has loaded
 * (await img.decode()). quantizeModel draws it onto a canvas and reads it
 * back as ImageData. Written structurally so the types need no DOM lib.
 */
export type DecodedImage =
  | { readonly width: number; readonly height: number; readonly close: () => void }
  | { readonly naturalWidth: number; readonly naturalHeight: number; readonly decode: () => Promise<void> };

/** One calibration sample: the input itself (one-input models) or one per input, in order. */
export type Sample = SampleInput | ImageLike | DecodedImage
  | readonly (SampleInput | ImageLike | DecodedImage)[];

export interface QuantizeModelOptions {
  /** Default 'int8'. */
  mode?: QuantizeMode;
  /** Model input/output type of the integer modes; default 'float32'. */
  io?: QuantizeIoType;
  /** Calibration samples (needed by the integer modes); default none. */
  representative?: readonly Sample[];
  /**
   * Write the model even when the mode did less than it promises (nothing
   * quantized; an op left float in 'int8' / 'int16x8'), with a console
   * warning and `report.warnings`. Default false: such a run rejects.
   */
  allowFloat?: boolean;
  /**
   * false: one scale per CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED weight
   * tensor (TFLite's _experimental_disable_per_channel). Default true. Integer
   * and dynamic modes.
   */
  perChannel?: boolean;
  /** Op types kept float, e.g. ['CONV_2D', 'ADD']. Integer and dynamic modes. */
  denylistOps?: readonly string[];
  /**
   * Nodes kept float, by the name of their first output tensor: a plain name,
   * or a pattern (string or flag-less RegExp; a subset of its syntax) that
   * must match the whole name. Denylisted ops do not fail 'int8' / 'int16x8'.
   */
  denylistNodes?: readonly (string | RegExp)[];
  /** 'int16x8' CONV_2D bias type; default 'int64' (other weighted ops keep int64, as TFLite). */
  biasType?: 'int64' | 'int32';
  /** I/O type of single model inputs by tensor name, overriding `io`. */
  inputTypes?: Readonly<Record<string, QuantizeIoType>>;
  /** I/O type of single model outputs by tensor name, overriding `io`. */
  outputTypes?: Readonly<Record<string, QuantizeIoType>>;
  /** Channels images are read as: default 'rgb' for 3-channel inputs, 'gray' for 1-channel ones. */
  color?: 'rgb' | 'bgr' | 'gray';
  /**
   * Image pixel p in [0, 255] becomes (p - mean) / std, per channel (one value,
   * or one per channel in the input's order); with std, not with range.
   */
  mean?: number | readonly number[];
  std?: number | readonly number[];
  /** Image pixel p in [0, 255] becomes lo + p * (hi - lo) / 255; default [0, 1]. */
  range?: readonly [number, number];
  /**
   * Measure every quantized layer (as compareModels, over `representative`)
   * and put `layerReport` on the result (integer modes; other modes get the
   * per-op-type report alone). Default false.
   */
  layerReport?: boolean;
  /**
   * Quantize, measure, keep the N layers with the largest rmseOverScale float
   * (as denylistNodes) and quantize again (`qlite quantize --auto-denylist N`);
   * puts `layerReport` on the result. Integer modes; an integer 0..999999,
   * default 0 (off).
   */
  autoDenylist?: number;
}

/** What the quantizer did with the ops of one type and one outcome. */
export interface QuantizeReportEntry {
  readonly op: string;
  readonly count: number;
  /** 'folded': a DEQUANTIZE / CAST of a float16 constant, now a float32 constant. */
  readonly status: 'quantized' | 'float' | 'folded';
  /** The quantized form ('int8', 'hybrid, int8 weights per channel'...) or why it stayed float. */
  readonly result: string;
}

/** The quantizer's report, per op type. Frozen. */
export interface QuantizeReport {
  readonly quantizedOps: number;
  readonly floatOps: number;
  /** float16 constants read through DEQUANTIZE / CAST, folded into float32. */
  readonly foldedFloat16: number;
  readonly ops: readonly QuantizeReportEntry[];
  /** With allowFloat: what the mode left undone. */
  readonly warnings: readonly string[];
}

/**
 * The per-layer report of quantizeModel's layerReport / autoDenylist, with
 * the files `qlite quantize --report FILE.md / FILE.json / --model-explorer`
 * writes (the same bytes). Frozen.
 */
export interface QuantizeLayerReport {
  /** Each quantized layer of the returned model, measured over `representative`. */
  readonly layers: readonly LayerMetrics[];
  /** The layers autoDenylist kept float, worst first. */
  readonly keptFloat: readonly string[];
  /** The per-op-type report, keptFloat and the per-layer table as Markdown. */
  readonly markdown: string;
  /** { quantize, keptFloat, layers } as JSON text. */
  readonly json: string;
  /** rmseOverScale per node as Model Explorer custom node data (JSON text). */
  readonly modelExplorer: string;
}

/**
 * The quantized model's bytes, with the quantizer's report and, with
 * layerReport or autoDenylist, the per-layer report (non-enumerable properties).
 */
export type QuantizedModelBytes = Uint8Array & {
  readonly report: QuantizeReport;
  readonly layerReport?: QuantizeLayerReport;
};

/**
 * One quantized layer's error against the float op run on its dequantized
 * inputs (TFLite's QuantizationDebugger), each metric the mean over samples;
 * null where it is not finite (an exact layer's snrDb). Frozen.
 */
export interface LayerMetrics {
  /** The node in the quantized model. */
  readonly node: number;
  /** The float node's first output tensor name (as denylistNodes takes it). */
  readonly name: string;
  readonly op: string;
  /** The quantized output's scale and zero point. */
  readonly scale: number | null;
  readonly zeroPoint: number;
  readonly numElements: number | null;
  readonly stddev: number | null;
  readonly meanError: number | null;
  readonly maxAbsError: number | null;
  readonly meanSquaredError: number | null;
  /** sqrt(meanSquaredError) / scale: the debugger guide's ranking (> 0.7 suspect). */
  readonly rmseOverScale: number | null;
  readonly snrDb: number | null;
  readonly cosine: number | null;
}

/** What compareModels resolves to. Frozen. */
export interface LayerComparison {
  readonly layers: readonly LayerMetrics[];
  /** The table `qlite compare` prints. */
  readonly table: string;
}

/** How compareModels turns image samples into inputs (as quantizeModel). */
export type CompareModelsOptions = Pick<QuantizeModelOptions, 'color' | 'mean' | 'std' | 'range'>;

/**
 * How the SIMD kernels use relaxed SIMD's int8 dot product: 'unsigned' or
 * 'signed' (the exact behaviour this engine showed when probed), or
 * 'unavailable' (qlite.wasm was loaded, or the engine's dot product is not
 * exact; the kernels then use i32x4.dot_i16x8_s). Outputs are the same bytes
 * in every case.
 */
export type RelaxedDot = 'unsigned' | 'signed' | 'unavailable';

/** Which module was loaded: qlite.relaxed.wasm ('relaxed') or qlite.wasm ('simd128'). */
export type WasmBuild = 'relaxed' | 'simd128';

/** What loadQlite() resolves to. Frozen. */
export interface Qlite {
  readonly relaxedDot: RelaxedDot;
  readonly wasmBuild: WasmBuild;
  /**
   * Threads the models may use, the calling one included: LoadQliteOptions.
   * threads where the threaded module could be loaded, else 1.
   */
  readonly threads: number;
  /** Why `threads` is less than LoadQliteOptions.threads asked; null otherwise. */
  readonly threadsNote: string | null;
  /**
   * Reads and prepares a .tflite model. Throws an Error with the reader's
   * message on bad bytes, unsupported ops or maxTensorBytes exceeded, a
   * TypeError when `bytes` is not binary data.
   */
  readonly loadModel: (bytes: ModelBytes, options?: LoadModelOptions) => Model;
  readonly quantize: typeof quantize;
  readonly dequantize: typeof dequantize;
  /**
   * Post-training quantization of a float (float32 or float16-weight) .tflite;
   * resolves to the new model's bytes, a Uint8Array carrying the per-op-type
   * `report`. Links qlite-quantize.wasm on first use. Rejects with an Error
   * carrying the quantizer's message.
   */
  readonly quantizeModel: (floatBytes: ModelBytes, options?: QuantizeModelOptions) => Promise<QuantizedModelBytes>;
  /**
   * The per-layer error of a quantized model against its float model over
   * `samples` (Sample as quantizeModel's representative). Links
   * qlite-quantize.wasm. Rejects with the comparer's message.
   */
  readonly compareModels: (floatBytes: ModelBytes, quantBytes: ModelBytes,
    samples: readonly Sample[], options?: CompareModelsOptions) => Promise<LayerComparison>;
  /**
   * What `qlite inspect` prints after its "model:" line: tensor and operator
   * tables, kernel set and arena. `error` says why qlite cannot run the model
   * ('' if it can); rejects if the bytes are not a .tflite model. Links
   * qlite-quantize.wasm (as quantizeModel does).
   */
  readonly describeModel: (bytes: ModelBytes, options?: { kernels?: 'simd' | 'reference' }) =>
    Promise<{ readonly text: string; readonly error: string }>;
  /** Diagnostics (leak checks). */
  readonly memoryStats: () => MemoryStats;
}

/** Bytes of a wasm module, given instead of its URL (then nothing is fetched or read). */
export type WasmBytes = ArrayBuffer | Uint8Array;

export interface LoadQliteOptions {
  /** Where qlite.wasm is (a path or file: URL in Node); default: dist/ beside src/. */
  wasmUrl?: string | URL;
  /** qlite.wasm's bytes. */
  wasmBinary?: WasmBytes;
  /**
   * Where qlite.relaxed.wasm is. With wasmUrl or wasmBinary but neither this
   * nor relaxedWasmBinary, qlite.wasm is used.
   */
  relaxedWasmUrl?: string | URL;
  /** qlite.relaxed.wasm's bytes. */
  relaxedWasmBinary?: WasmBytes;
  /** false: load qlite.wasm even where relaxed SIMD validates. Default true. */
  relaxedSimd?: boolean;
  /**
   * Where qlite-ops.wasm is: the op module holding the long tail of the
   * operators, linked into qlite.wasm by loadQlite (which fails if it cannot
   * be read). Default: next to qlite.wasm.
   */
  opsWasmUrl?: string | URL;
  /** qlite-ops.wasm's bytes. */
  opsWasmBinary?: WasmBytes;
  /** Where qlite-quantize.wasm is (fetched on the first quantizeModel()). */
  quantizeWasmUrl?: string | URL;
  /**
   * Threads (1-64, the calling one included; default 1). Above 1, the
   * threaded module qlite-threads.wasm is loaded with threads - 1 workers,
   * where the scope allows: a cross-origin isolated page or worker
   * (SharedArrayBuffer), or Node (worker_threads). Elsewhere (no isolation,
   * an AudioWorklet, a custom wasmUrl / wasmBinary) qlite runs one thread and
   * threadsNote says why.
   */
  threads?: number;
  /** Where qlite-threads.wasm, qlite-threads.relaxed.wasm, its glue and worker script are. */
  threadsWasmUrl?: string | URL;
  threadsRelaxedWasmUrl?: string | URL;
  threadsGlueUrl?: string | URL;
  threadsWorkerUrl?: string | URL;
}

/**
 * Loads and compiles qlite.wasm, or qlite.relaxed.wasm where the engine
 * validates relaxed SIMD (from disk in Node, with fetch() elsewhere).
 */
export function loadQlite(options?: LoadQliteOptions): Promise<Qlite>;
export default loadQlite;

/**
 * q = clamp(round(x / scale) + zeroPoint): float32 division, rounding half away
 * from zero, NaN -> zeroPoint (TFLite's QUANTIZE). Returns the typed array of
 * `dtype` (default 'int8'). Throws when scale is not finite and > 0 or
 * zeroPoint is not an integer in the dtype's range.
 */
export function quantize<D extends QuantizedDType = 'int8'>(
  values: ArrayLike<number>, scale: number, zeroPoint: number, dtype?: D): TypedArrayOf[D];

/** x = scale * (q - zeroPoint) in float32 (TFLite's DEQUANTIZE); dtype (default 'int8') sets zeroPoint's range. */
export function dequantize(values: ArrayLike<number>, scale: number, zeroPoint: number,
                           dtype?: QuantizedDType): Float32Array;
