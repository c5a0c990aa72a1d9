// quantizeModel's side of qlite-quantize.wasm: the samples and converter
// options as the native entry (web/quantize_module.cc) reads them, and the
// call itself.

const IO_TYPES = ['float32', 'int8', 'uint8', 'int16'];

// "Float32Array", "null", "string": what a wrong argument was (index.js uses it too).
export function typeName(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor ? value.constructor.name : 'object';
}

// A string option value: one line of the options text.
function line(option, value) {
  if (typeof value !== 'string' || value === '' || /[\n\0]/.test(value)) {
    throw new TypeError(`qlite.quantizeModel: ${option} entries must be non-empty strings ` +
      `without newlines, got ${typeof value === 'string' ? JSON.stringify(value) : typeName(value)}`);
  }
  return value;
}

function list(option, value) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new TypeError(`qlite.quantizeModel: ${option} must be an array, got ${typeName(value)}`);
  }
  return value;
}

function ioLines(option, key, types) {
  if (types === undefined) return [];
  if (types === null || typeof types !== 'object' || Array.isArray(types)) {
    throw new TypeError(`qlite.quantizeModel: ${option} must be an object of tensor name -> ` +
      `type, got ${typeName(types)}`);
  }
  return Object.entries(types).map(([name, type]) => {
    if (!IO_TYPES.includes(type)) {
      throw new TypeError(`qlite.quantizeModel: ${option}['${name}'] must be one of ` +
        `${IO_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
    }
    return `${key}=${line(option, name)}=${type}`;
  });
}

/**
 * The converter options of quantizeModel as SetQuantizeOption lines:
 * perChannel (default true), denylistOps (op type names), denylistNodes
 * (names or RegExps without flags, matched against whole node names),
 * biasType ('int64' default, 'int32': int16x8 CONV_2D), inputTypes /
 * outputTypes (tensor name -> I/O type).
 */
export function quantizerOptionLines({
  perChannel = true, denylistOps, denylistNodes, biasType = 'int64', inputTypes, outputTypes,
} = {}) {
  if (typeof perChannel !== 'boolean') {
    throw new TypeError(`qlite.quantizeModel: perChannel must be a boolean, got ${typeName(perChannel)}`);
  }
  if (biasType !== 'int64' && biasType !== 'int32') {
    throw new TypeError(`qlite.quantizeModel: biasType must be 'int64' or 'int32', got ` +
      `${JSON.stringify(biasType)}`);
  }
  const lines = [];
  if (!perChannel) lines.push('per-tensor');
  if (biasType === 'int32') lines.push('bias-int32');
  const ops = list('denylistOps', denylistOps).map((op) => line('denylistOps', op));
  if (ops.length) lines.push(`denylist-ops=${ops.join(',')}`);
  for (const node of list('denylistNodes', denylistNodes)) {
    if (node instanceof RegExp && node.flags !== '') {
      throw new TypeError(`qlite.quantizeModel: denylistNodes RegExp ${node} has flags; ` +
        'node patterns take none');
    }
    lines.push(`denylist-nodes=${line('denylistNodes', node instanceof RegExp ? node.source : node)}`);
  }
  lines.push(...ioLines('inputTypes', 'input-type', inputTypes),
    ...ioLines('outputTypes', 'output-type', outputTypes));
  return lines.join('\n');
}

// Calls qlite_quantize_model with its arguments copied into wasm memory and
// returns the new model's bytes with the quantizer's report as their `report`
// property (or throws its message).
export function runQuantizer(wasm, quantizeModel, bytes, mode, io, allowFloat, optionLines, samples) {
  const encoder = new TextEncoder();
  const parts = [bytes, encoder.encode(`${mode}\0`), encoder.encode(`${io}\0`),
    encoder.encode(`${optionLines}\0`),
    new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)];
  const pointers = parts.map((part) => wasm._malloc(Math.max(part.length, 1)));
  try {
    if (pointers.includes(0)) throw new Error('qlite.quantizeModel: out of wasm memory');
    parts.forEach((part, i) => wasm.HEAPU8.set(part, pointers[i]));
    const result = quantizeModel(pointers[0], bytes.length, pointers[1], pointers[2],
      allowFloat ? 1 : 0, pointers[3], pointers[4], samples.length);
    if (!result) throw new Error('qlite.quantizeModel: out of wasm memory');
    try {
      // 7 u32: status, then the byte counts of the model (or the message), the
      // report (JSON), the --report .md and .json texts, the --model-explorer
      // text and the names kept float (one a line); then those parts.
      const sizes = Array.from(new Uint32Array(wasm.HEAPU8.buffer, result, 7));
      const [status, size] = sizes;
      const payload = wasm.HEAPU8.slice(result + 28, result + 28 + size);
      if (status !== 0) throw new Error(`qlite.quantizeModel: ${new TextDecoder().decode(payload)}`);
      let at = result + 28 + size;
      const [reportText, markdown, json, modelExplorer, keptFloat] = sizes.slice(2).map((n) => {
        const text = new TextDecoder().decode(wasm.HEAPU8.slice(at, at + n));
        at += n;
        return text;
      });
      const report = JSON.parse(reportText);
      report.ops.forEach(Object.freeze);
      [report.ops, report.warnings, report].forEach(Object.freeze);
      for (const warning of report.warnings) console.warn(`qlite.quantizeModel: ${warning}`);
      if (json) {
        const { layers } = JSON.parse(json);
        layers.forEach(Object.freeze);
        const layerReport = Object.freeze({
          layers: Object.freeze(layers), keptFloat: Object.freeze(keptFloat.split('\n').filter(Boolean)),
          markdown, json, modelExplorer,
        });
        Object.defineProperty(payload, 'layerReport', { value: layerReport, enumerable: false });
      }
      // The bytes stay a Uint8Array (loadModel, files, fetch bodies take it as before).
      Object.defineProperty(payload, 'report', { value: report, enumerable: false });
      return payload;
    } finally {
      wasm._free(result);
    }
  } finally {
    for (const pointer of pointers) if (pointer) wasm._free(pointer);
  }
}

// Calls qlite_compare_models (web/quantize_module.cc): resolves the per-layer
// metrics of compareModels, { layers, table }.
export function runCompare(wasm, compareModels, floatBytes, quantBytes, samples) {
  const parts = [floatBytes, quantBytes,
    new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)];
  const pointers = parts.map((part) => wasm._malloc(Math.max(part.length, 1)));
  try {
    if (pointers.includes(0)) throw new Error('qlite.compareModels: out of wasm memory');
    parts.forEach((part, i) => wasm.HEAPU8.set(part, pointers[i]));
    const result = compareModels(pointers[0], floatBytes.length, pointers[1], quantBytes.length,
      pointers[2], samples.length);
    if (!result) throw new Error('qlite.compareModels: out of wasm memory');
    try {
      // u32 status, u32 JSON (or message) byte count, u32 table byte count, then both.
      const [status, jsonSize, tableSize] = new Uint32Array(wasm.HEAPU8.buffer, result, 3);
      const decoder = new TextDecoder();
      const json = decoder.decode(wasm.HEAPU8.slice(result + 12, result + 12 + jsonSize));
      if (status !== 0) throw new Error(`qlite.compareModels: ${json}`);
      const tableAt = result + 12 + jsonSize;
      const table = decoder.decode(wasm.HEAPU8.slice(tableAt, tableAt + tableSize));
      const { layers } = JSON.parse(json);
      layers.forEach(Object.freeze);
      return Object.freeze({ layers: Object.freeze(layers), table });
    } finally {
      wasm._free(result);
    }
  } finally {
    for (const pointer of pointers) if (pointer) wasm._free(pointer);
  }
}
