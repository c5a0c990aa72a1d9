// The quantizer's methods of the loadQlite() API (quantizeModel,
// compareModels, describeModel): the calls into the C entry points of
// qlite-quantize.wasm (web/quantize_module.cc, web/describe_module.cc).
import { quantizerOptionLines, runCompare, runQuantizer, typeName } from './quantize-options.js';
import { flattenSamples } from './representative.js';

// Calls qlite_describe_model: { readError, text, runnable } (see describeModel).
function runDescribe(wasm, describeEntry, bytes, kernels) {
  const kernelsName = new TextEncoder().encode(`${kernels}\0`);
  const modelAt = wasm._malloc(Math.max(bytes.length, 1));
  const kernelsAt = wasm._malloc(kernelsName.length);
  try {
    if (!modelAt || !kernelsAt) throw new Error('qlite.describeModel: out of wasm memory');
    wasm.HEAPU8.set(bytes, modelAt);
    wasm.HEAPU8.set(kernelsName, kernelsAt);
    const result = describeEntry(modelAt, bytes.length, kernelsAt);
    if (!result) throw new Error('qlite.describeModel: out of wasm memory');
    try {
      // u32 status, u32 text byte count, u32 message byte count, the text, the message.
      const [status, textSize, messageSize] = new Uint32Array(wasm.HEAPU8.buffer, result, 3);
      // A copy: TextDecoder refuses views of the threaded module's shared memory.
      const decode = (at, size) => new TextDecoder().decode(wasm.HEAPU8.slice(at, at + size));
      const text = decode(result + 12, textSize);
      const runnable = decode(result + 12 + textSize, messageSize);
      return status === 0 ? { readError: '', text, runnable } : { readError: text, text: '', runnable };
    } finally {
      wasm._free(result);
    }
  } finally {
    if (modelAt) wasm._free(modelAt);
    if (kernelsAt) wasm._free(kernelsAt);
  }
}

// The methods over instantiated qlite.wasm `wasm`; `linkQuantizer()` resolves
// the quantizer's entries (linked once), `inputInfosOf(bytes)` returns a
// function giving that model's input infos (for samples given as images),
// `asModelBytes` is loadModel's check of model bytes.
export function quantizerMethods({ wasm, linkQuantizer, inputInfosOf, asModelBytes }) {
  return {
    /**
     * Post-training quantization of a float .tflite in the page. Resolves to the
     * new model's bytes. options.mode: 'int8' (default), 'int8-fallback', 'int16x8',
     * 'dynamic', 'float16'; options.io: model I/O type of the integer modes,
     * 'float32' (default), 'int8', 'uint8', 'int16'; options.representative: the
     * calibration samples (integer modes), each a Float32Array or an ImageData-like
     * image (one-input models) or an array of those, one per input; images are
     * resized and normalised as options.color, mean, std, range say
     * (src/representative.js). float16-weight models are
     * folded to float32 first. A run that quantizes nothing, or leaves an op
     * float in 'int8' / 'int16x8', rejects naming what stayed float, unless
     * options.allowFloat (then it warns). The converter's options (perChannel,
     * denylistOps, denylistNodes, biasType, inputTypes, outputTypes) are
     * quantize-options.js's. The resolved Uint8Array carries the per-op-type
     * report as its `report` property. options.layerReport: true measures every
     * quantized layer as compareModels does; options.autoDenylist: N (integer)
     * quantizes, measures, keeps the N layers with the largest rmse/scale float
     * and quantizes again (`qlite quantize --auto-denylist N`). Either puts a
     * `layerReport` property on the result: { layers, keptFloat, markdown, json,
     * modelExplorer }, the texts `qlite quantize --report FILE.md / FILE.json /
     * --model-explorer` write.
     */
    async quantizeModel(floatBytes, {
      mode = 'int8', io = 'float32', representative = [], allowFloat = false, layerReport = false,
      autoDenylist = 0, ...rest
    } = {}) {
      if (typeof layerReport !== 'boolean') {
        throw new TypeError(`qlite.quantizeModel: layerReport must be a boolean, got ${typeName(layerReport)}`);
      }
      if (!(Number.isInteger(autoDenylist) && autoDenylist >= 0 && autoDenylist < 1e6)) {
        throw new TypeError('qlite.quantizeModel: autoDenylist must be a layer count (an integer ' +
          `from 0 to 999999), got ${typeof autoDenylist === 'number' ? autoDenylist : typeName(autoDenylist)}`);
      }
      const bytes = asModelBytes(floatBytes);
      const samples = flattenSamples(representative, rest, inputInfosOf(bytes));
      const optionLines = [quantizerOptionLines(rest), layerReport ? 'layer-report' : '',
        autoDenylist > 0 ? `auto-denylist=${autoDenylist}` : ''].filter(Boolean).join('\n');
      return runQuantizer(wasm, (await linkQuantizer()).quantize, bytes, String(mode), String(io),
        Boolean(allowFloat), optionLines, samples);
    },
    /**
     * The per-layer quantization error of `quantBytes` against its float
     * model `floatBytes`, as TFLite's QuantizationDebugger measures it (each
     * quantized layer's dequantized output minus the float op run on the
     * layer's dequantized inputs, averaged over `samples`) plus rmse/scale,
     * SNR (dB) and cosine similarity. `samples` as quantizeModel's
     * `representative` (images normalised as options.color, mean, std,
     * range). Resolves to { layers, table }: layers as LayerMetrics (see
     * index.d.ts), table the text `qlite compare` prints.
     */
    async compareModels(floatBytes, quantBytes, samples = [], compareOptions = {}) {
      const bytes = asModelBytes(floatBytes);
      const quantized = asModelBytes(quantBytes);
      const flat = flattenSamples(samples, compareOptions, inputInfosOf(bytes));
      if (flat.length === 0) throw new Error('qlite.compareModels: no samples to compare on');
      return runCompare(wasm, (await linkQuantizer()).compare, bytes, quantized, flat);
    },
    /**
     * What `qlite inspect` prints for a model after its "model:" line (the
     * tensor and operator tables, the kernel set and arena). Resolves to
     * { text, error }, error saying why qlite cannot run the model ('' if it
     * can); rejects if the bytes are not a .tflite model. options.kernels as
     * loadModel's. Links qlite-quantize.wasm, which carries the formatting.
     */
    async describeModel(bytes, { kernels = 'simd' } = {}) {
      if (kernels !== 'simd' && kernels !== 'reference') {
        throw new Error(`qlite: kernels must be 'reference' or 'simd', got '${kernels}'`);
      }
      const modelBytes = asModelBytes(bytes);
      if (kernels === 'simd') {
        // Model.load registers the SIMD kernels before it reads (no bytes
        // here: it stops there); the describe entry relies on that.
        const probe = new wasm.Model();
        probe.load(new Uint8Array(0), 'simd', false, 0, 0, 'tflite', 1);
        probe.delete();
      }
      const { readError, text, runnable } =
        runDescribe(wasm, (await linkQuantizer()).describe, modelBytes, kernels);
      if (readError) throw new Error(`qlite: ${readError}`);
      return Object.freeze({ text, error: runnable });
    },
  };
}
