// Calls the declarations must reject: each line after @ts-expect-error has to
// fail to compile (tsc reports an unused @ts-expect-error), so
// web/test/types.test.mjs fails if the types grow too loose.
import { dequantize, loadQlite, quantize, type TensorData } from '../../web/src/index.js';

export async function misuse(bytes: Uint8Array): Promise<void> {
  // @ts-expect-error: unknown loadQlite option (wasmURL for wasmUrl)
  await loadQlite({ wasmURL: '/qlite.wasm' });
  // @ts-expect-error: relaxedSimd is a boolean
  await loadQlite({ relaxedSimd: 'no' });
  const qlite = await loadQlite();

  // @ts-expect-error: wrong kernels value
  qlite.loadModel(bytes, { kernels: 'fast' });
  // @ts-expect-error: unknown loadModel option (kernel for kernels)
  qlite.loadModel(bytes, { kernel: 'simd' });
  // @ts-expect-error: maxTensorBytes is a number
  qlite.loadModel(bytes, { maxTensorBytes: '1 GiB' });
  // @ts-expect-error: model bytes are binary, not a path
  qlite.loadModel('model.tflite');
  const model = qlite.loadModel(bytes);

  // @ts-expect-error: inputs are typed arrays, not plain arrays
  model.run([[1, 2, 3]]);
  // @ts-expect-error: a record's values are typed arrays too
  model.run({ input: [1, 2, 3] });
  // @ts-expect-error: a DataView is not a tensor's data
  model.run([new DataView(new ArrayBuffer(4))]);
  // @ts-expect-error: run() returns typed arrays of any dtype, not Float32Arrays
  const outputs: Float32Array[] = model.run([new Float32Array(1)]);
  // @ts-expect-error: a signature run takes inputs by name, not in order
  model.run('serving_default', [new Float32Array(1)]);
  // @ts-expect-error: a signature run returns outputs by name, not an array
  const named: TensorData[] = model.run('serving_default', {});
  // @ts-expect-error: signatures are frozen
  model.signatures = {};
  // @ts-expect-error: a shape is an array of numbers
  model.resizeInput(0, '1,2');
  // @ts-expect-error: an input is named by index or name
  model.resizeInput(true, [1, 2]);
  // @ts-expect-error: kernels is read-only
  model.kernels = 'reference';
  // @ts-expect-error: a model's kernels are 'simd' or 'reference'
  const kernels: 'fast' = model.kernels;
  // @ts-expect-error: tensor infos are frozen
  model.inputs[0]!.shape.push(1);
  // @ts-expect-error: profile entries have no name field
  model.profile()[0]!.name;

  // @ts-expect-error: wrong dtype array: int8 quantizes to an Int8Array
  const u8: Uint8Array = quantize([1], 0.5, 0, 'int8');
  // @ts-expect-error: wrong dtype array: the default dtype is int8
  const i16: Int16Array = qlite.quantize([1], 0.5, 0);
  // @ts-expect-error: float32 is not a quantized dtype
  quantize([1], 0.5, 0, 'float32');
  // @ts-expect-error: dequantize returns a Float32Array
  const i8: Int8Array = dequantize(new Int8Array(1), 0.5, 0);
  // @ts-expect-error: int64 data is not dequantized
  dequantize(new BigInt64Array(1), 0.5, 0);

  // @ts-expect-error: unknown quantize mode
  await qlite.quantizeModel(bytes, { mode: 'int4' });
  // @ts-expect-error: unknown io type
  await qlite.quantizeModel(bytes, { io: 'float16' });
  // @ts-expect-error: biasType is 'int64' or 'int32'
  await qlite.quantizeModel(bytes, { biasType: 'int16' });
  // @ts-expect-error: denylistOps is a list of op names
  await qlite.quantizeModel(bytes, { denylistOps: 'CONV_2D' });
  // @ts-expect-error: inputTypes maps names to I/O types
  await qlite.quantizeModel(bytes, { inputTypes: { input: 'float16' } });
  // @ts-expect-error: samples are float arrays, not strings
  await qlite.quantizeModel(bytes, { representative: ['0.5'] });
  // @ts-expect-error: unknown color
  await qlite.quantizeModel(bytes, { color: 'cmyk' });
  // @ts-expect-error: range is [lo, hi]
  await qlite.quantizeModel(bytes, { range: 1 });
  // @ts-expect-error: an image needs its height
  await qlite.quantizeModel(bytes, { representative: [{ data: new Uint8ClampedArray(4), width: 1 }] });
  // @ts-expect-error: autoDenylist is a layer count
  await qlite.quantizeModel(bytes, { autoDenylist: '2' });
  // @ts-expect-error: compareModels takes the quantized model's bytes too
  await qlite.compareModels(bytes, [new Float32Array(1)]);
  // @ts-expect-error: layer metrics are read-only
  (await qlite.compareModels(bytes, bytes, [])).layers[0]!.name = 'x';
  // @ts-expect-error: wasmBuild is 'relaxed' or 'simd128'
  const build: 'wasm' = qlite.wasmBuild;
  // @ts-expect-error: memoryStats() has no totalBytes
  qlite.memoryStats().totalBytes;
  console.log(outputs, kernels, u8, i16, i8, build);
}
