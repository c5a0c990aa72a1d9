// Every public call and option of the qlite package, type-checked by
// web/test/types.test.mjs (`tsc --strict --noEmit -p examples/typescript`).
// A page's code: models and wasm come by fetch().
import defaultLoadQlite, {
  dequantize, loadQlite, quantize,
  type DType, type ImageLike, type LoadModelOptions, type LoadQliteOptions, type MemoryStats, type Model,
  type ModelBytes, type OpProfile, type Qlite, type QuantizedDType, type QuantizeModelOptions,
  type RelaxedDot, type RunInputs, type Sample, type Signature, type TensorData, type TensorDataOf, type TensorInfo,
  type WasmBuild, type LayerComparison, type LayerMetrics, type QuantizeLayerReport,
} from '../../web/src/index.js';

async function fetchBytes(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

// Every field of a tensor info, as one line.
function describe(info: TensorInfo): string {
  const dtype: DType = info.dtype;
  const quant = info.scales.length
    ? ` ${info.quantization} (axis ${info.quantizedDimension}, first ${info.scale}/${info.zeroPoint}, ` +
      `zero points ${info.zeroPoints.join(',')})`
    : '';
  return `#${info.index} ${info.name}: ${dtype} [${info.shape.join(',')}] ${info.bytes} bytes${quant}`;
}

// A zero-filled input of the tensor's dtype and size.
function zeros(info: TensorInfo): TensorData {
  switch (info.dtype) {
    case 'float32': return new Float32Array(info.bytes / 4);
    case 'int8': return new Int8Array(info.bytes);
    case 'uint8': return new Uint8Array(info.bytes);
    case 'int16': return new Int16Array(info.bytes / 2);
    case 'int32': return new Int32Array(info.bytes / 4);
    case 'int64': return new BigInt64Array(info.bytes / 8);
    default: throw new Error(`no example input for ${info.dtype}`);
  }
}

export async function main(): Promise<void> {
  // loadQlite's options, each spelled out once.
  const options: LoadQliteOptions = {
    wasmUrl: new URL('/qlite/qlite.wasm', location.href),
    relaxedWasmUrl: '/qlite/qlite.relaxed.wasm',
    relaxedSimd: true,
    opsWasmUrl: '/qlite/qlite-ops.wasm',
    quantizeWasmUrl: new URL('/qlite/qlite-quantize.wasm', location.href),
  };
  const qlite: Qlite = await loadQlite(options);
  const fromBytes: Qlite = await defaultLoadQlite({
    wasmBinary: await fetchBytes('/qlite/qlite.wasm'),
    relaxedWasmBinary: (await fetchBytes('/qlite/qlite.relaxed.wasm')).buffer as ArrayBuffer,
    opsWasmBinary: await fetchBytes('/qlite/qlite-ops.wasm'),
    relaxedSimd: false,
  });
  const dot: RelaxedDot = qlite.relaxedDot;
  const build: WasmBuild = fromBytes.wasmBuild;
  console.log(`relaxed dot: ${dot}; builds: ${qlite.wasmBuild}, ${build}`);

  // loadModel with every option, then every member of the model.
  const bytes: ModelBytes = await fetchBytes('/models/micro_speech_quantized.tflite');
  const modelOptions: LoadModelOptions = { kernels: 'simd', profile: true, maxTensorBytes: 64 << 20 };
  const model: Model = qlite.loadModel(bytes, modelOptions);
  const buffer: ArrayBuffer = await (await fetch('/models/micro_speech_quantized.tflite')).arrayBuffer();
  const reference: Model = qlite.loadModel(buffer, { kernels: 'reference' });
  model.inputs.forEach((info) => console.log('in ', describe(info)));
  model.outputs.forEach((info) => console.log('out', describe(info)));
  console.log(`arena ${model.arenaBytes} bytes, kernels ${model.kernels} / ${reference.kernels}`);

  // quantize -> run (an array, a record, the typed array itself) -> dequantize.
  const input = model.inputs[0];
  const output = model.outputs[0];
  if (!input || !output) throw new Error('the model has no input or output');
  if (input.dtype !== 'int8') throw new Error(`expected an int8 input, got ${input.dtype}`);
  const features = new Float32Array(input.bytes).fill(0.5);
  const q: Int8Array = quantize(features, input.scale, input.zeroPoint);
  const q8: TensorDataOf<'int8'> = qlite.quantize(features, input.scale, input.zeroPoint, 'int8');
  const positional: TensorData[] = model.run([q]);
  const byName: RunInputs = { [input.name]: q8 };
  const [scores] = model.run(byName);
  model.run(q);
  if (!(scores instanceof Int8Array)) throw new Error('expected int8 scores');
  const probabilities: Float32Array = dequantize(scores, output.scale, output.zeroPoint, 'int8');
  console.log(positional.length, Array.from(probabilities));

  // The other quantized dtypes give their own typed arrays.
  const u8: Uint8Array = quantize([0, 1], 0.5, 128, 'uint8');
  const i16: Int16Array = quantize([0, 1], 0.5, 0, 'int16');
  const i32: Int32Array = qlite.quantize([0, 1], 0.5, 0, 'int32');
  const dtype: QuantizedDType = 'uint8';
  const x: Float32Array = qlite.dequantize(u8, 0.5, 128, dtype);
  console.log(i16, i32, x, dequantize(i16, 0.5, 0, 'int16'), dequantize(q, 1, 0));

  // Signatures: the converter's names for inputs and outputs, by key.
  for (const [key, signature] of Object.entries(model.signatures)) {
    const sig: Signature = signature;
    const fed: Record<string, TensorData> = {};
    for (const name of sig.inputs) fed[name] = q;
    const byOutputName: Record<string, TensorData> = sig.run(fed);
    const same: Record<string, TensorData> = model.run(key, fed);
    console.log(key, sig.outputs.join(','), Object.keys(byOutputName), Object.keys(same));
  }

  // Per-op profile of the last run.
  const ops: OpProfile[] = model.profile();
  for (const { node, op, kernel, options: opOptions, us } of ops) {
    console.log(`${node} ${op} ${kernel} ${opOptions} ${us.toFixed(1)} us`);
  }

  // A model with a dynamic batch: resize by index or name, then run with zeros.
  const dynamic = qlite.loadModel(await fetchBytes('/models/dynamic_batch.tflite'));
  const first = dynamic.inputs[0];
  if (first) {
    dynamic.resizeInput(0, [4, ...first.shape.slice(1)]);
    dynamic.resizeInput(first.name, [2, ...first.shape.slice(1)]);
    console.log(dynamic.run(dynamic.inputs.map(zeros)).map((y) => y.length));
  }

  // Quantize a float model in the page: one-input and multi-input samples.
  const floatBytes = await fetchBytes('/models/hello_world_float.tflite');
  const representative: Sample[] = [new Float32Array([0.5]), [1.5], [new Float32Array([2.5])], [[3.5]]];
  const quantizeOptions: QuantizeModelOptions = { mode: 'int8', io: 'int8', representative };
  const int8Bytes: Uint8Array = await qlite.quantizeModel(floatBytes, quantizeOptions);
  const f16Bytes = await qlite.quantizeModel(new DataView(floatBytes.buffer), { mode: 'float16' });
  await qlite.quantizeModel(floatBytes, { mode: 'int8-fallback', io: 'float32', representative });
  await qlite.quantizeModel(floatBytes, { mode: 'int16x8', io: 'int16', representative });
  await qlite.quantizeModel(floatBytes, { mode: 'dynamic' });
  await qlite.quantizeModel(floatBytes, { io: 'uint8', representative });
  await qlite.quantizeModel(floatBytes);
  // The converter's options: per-tensor weights, denylists, 16x8 bias, I/O per tensor.
  await qlite.quantizeModel(floatBytes, {
    representative, perChannel: false, denylistOps: ['ADD'], denylistNodes: ['logits', /conv\d+\/.*/],
    inputTypes: { input: 'uint8' }, outputTypes: { logits: 'float32' },
  });
  await qlite.quantizeModel(floatBytes, { mode: 'int16x8', biasType: 'int32', representative });
  console.log(int8Bytes.byteLength, f16Bytes.byteLength);
  // Per-layer error of the int8 model against the float one (QuantizationDebugger's metrics).
  const comparison: LayerComparison = await qlite.compareModels(floatBytes, int8Bytes, representative);
  const worst: LayerMetrics | undefined = comparison.layers[0];
  console.log(comparison.table, worst?.name, worst?.rmseOverScale ?? 0, worst?.snrDb ?? 'exact');
  await qlite.compareModels(floatBytes, int8Bytes, [new Float32Array([1])], { range: [0, 1] });
  // Measured while quantizing: the N worst layers kept float, the --report texts.
  const kept = await qlite.quantizeModel(floatBytes, { representative, autoDenylist: 2, layerReport: true });
  const layerReport: QuantizeLayerReport | undefined = kept.layerReport;
  console.log(layerReport?.keptFloat.join(','), layerReport?.markdown, layerReport?.json,
    layerReport?.modelExplorer, layerReport?.layers[0]?.rmseOverScale);

  // An image model calibrated from pictures (ImageData from a canvas, or a look-alike).
  const imageModel = await fetchBytes('/models/image_float16.tflite');
  const picture: ImageLike = { data: new Uint8ClampedArray(8 * 6 * 4), width: 8, height: 6 };
  const pictures: Sample[] = [picture, [picture]];
  // ImageBitmap and loaded <img> elements are drawn onto a canvas first.
  const decoded: Sample[] = [await createImageBitmap(new ImageData(8, 6)), new Image()];
  console.log(decoded.length);
  await qlite.quantizeModel(imageModel, { representative: pictures, range: [-1, 1] });
  await qlite.quantizeModel(imageModel, {
    representative: pictures, color: 'bgr', mean: [103.9, 116.8, 123.7], std: 1,
  });

  // Errors are Error / TypeError carrying the core's message.
  try {
    qlite.loadModel(new Uint8Array(3));
  } catch (error) {
    if (error instanceof TypeError || error instanceof Error) console.log(error.message);
  }

  for (const m of [model, reference, dynamic]) m.dispose();
  model.dispose(); // twice is fine
  const disposed: boolean = model.disposed;
  const stats: MemoryStats = qlite.memoryStats();
  console.log(disposed, stats.mallocBytes, stats.heapBytes, fromBytes.memoryStats());
}
