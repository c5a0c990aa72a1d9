#!/usr/bin/env node
// qlite for Node without a C++ toolchain: `npx qlite inspect|run|quantize|compare`
// takes the flags of the C++ CLI (tools/cmd_*.cc) and prints the same text,
// running the package's wasm modules. Errors go to stderr as
// "qlite <command>: why" with exit code 1 (2 for bad usage), as there.
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadQlite } from '../src/index.js';
import { formatFloat, randomSamples, readNpy, readTensorFile } from './tensor-files.mjs';

class CliError extends Error {}

const USAGE = {
  inspect:
    'usage: qlite inspect MODEL.tflite [--kernels simd|reference]\n' +
    'Prints the tensor table (index, name, dtype, storage, bytes, shape, quantization),\n' +
    'the operators with their options (then the same for each further subgraph),\n' +
    'and the arena size. Exits 1 if the model\n' +
    'cannot be run by qlite (the reason is printed).\n',
  run:
    'usage: qlite run MODEL.tflite --input FILE [--input FILE ...] [--output-dir DIR]\n' +
    '                 [--steps N] [--reset] [--kernels simd|reference] [--profile]\n' +
    '                 [--arithmetic tflite|xnnpack] [--threads N]\n' +
    'Inputs are given in the model\'s input order: raw little-endian bytes in the\n' +
    'tensor\'s dtype, or numbers separated by commas/whitespace in a .csv file.\n' +
    'Outputs are written to DIR/output0.bin, DIR/output1.bin, ... as raw bytes.\n' +
    '--steps N runs N inferences on one interpreter: give each step\'s inputs in\n' +
    'turn (step 0\'s inputs, then step 1\'s ...); outputs go to\n' +
    'DIR/step<k>.output<i>.bin. Variable tensors (the state of SVDF, RNN ...)\n' +
    'start from the model\'s initial values and carry over from step to step;\n' +
    '--reset gives them their initial values again before every step.\n' +
    '--arithmetic xnnpack requantizes the int8/uint8 ops XNNPACK runs as XNNPACK\n' +
    'does (the bytes of TFLite with XNNPACK, LiteRT.js, Android); the default,\n' +
    'tflite, as TFLite\'s builtin kernels and TFLite-Micro do.\n' +
    '--threads N splits large convolutions over N threads (default 1; worker_threads);\n' +
    'the outputs are the same bytes for every N.\n',
  quantize:
    'usage: qlite quantize IN.tflite -o OUT.tflite --mode MODE [--repr SPEC ...]\n' +
    '                      [--io float|int8|uint8|int16] [--allow-float]\n' +
    '                      [--per-tensor] [--denylist-ops OP,OP] [--denylist-nodes PATTERN]\n' +
    '                      [--bias-int32] [--input-type NAME=T] [--output-type NAME=T]\n' +
    '                      [--report FILE.md|FILE.json] [--auto-denylist N]\n' +
    '                      [--model-explorer FILE.json]\n' +
    '                      [--mean A,B,C --std A,B,C | --range LO,HI]\n' +
    'MODE: float16        float16 weights, DEQUANTIZE in front (no dataset needed)\n' +
    '      dynamic        int8 weights (per channel), float activations, hybrid ops\n' +
    '      int8-fallback  int8 where possible, float elsewhere; float I/O\n' +
    '      int8           full integer; fails listing every op it cannot quantize\n' +
    '      int16x8        int16 activations, int8 weights, int64 bias\n' +
    'SPEC (one --repr per model input; needed by the integer modes):\n' +
    '      FILE.npy                         float32/float64 array [N, ...]\n' +
    '      FILE                             raw float32 samples back to back\n' +
    '      random:N                         N seeded random images (smoke tests)\n' +
    'random:N pixels p in [0, 255] are normalised as (p - mean) / std per channel,\n' +
    'or lo + p * (hi - lo) / 255 with --range (default 0,1). The C++ CLI also\n' +
    'reads mnist:... and image folders; here, decode images in JS and give them\n' +
    'to quantizeModel, or save them as .npy.\n' +
    '--io  I/O type of the integer modes (default float; uint8 as the converter\'s\n' +
    '      inference_input_type = tf.uint8). Nothing is written on failure.\n' +
    'float16 constants read through DEQUANTIZE (float16-weight models) are folded\n' +
    'into float32 first. A run that quantizes nothing, or leaves an op float in\n' +
    'int8 / int16x8, fails listing what stayed float; --allow-float writes the\n' +
    'model anyway with a warning. The per-op-type report is always printed.\n' +
    'Converter options (integer modes; --per-tensor and the denylists also dynamic):\n' +
    '--per-tensor        one scale per CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED\n' +
    '                    weight tensor instead of one per output channel\n' +
    '--denylist-ops      op types kept float, e.g. CONV_2D,ADD (repeatable)\n' +
    '--denylist-nodes    nodes kept float by name (the node\'s first output tensor)\n' +
    '                    or by a regex matching the whole name (repeatable); kept\n' +
    '                    nodes get QUANTIZE / DEQUANTIZE around them and do not\n' +
    '                    fail --mode int8 / int16x8\n' +
    '--bias-int32        int16x8: int32 CONV_2D bias (default int64, as TFLite;\n' +
    '                    DEPTHWISE_CONV_2D and FULLY_CONNECTED keep int64)\n' +
    '--input-type, --output-type  NAME=float|int8|uint8|int16 for one model\n' +
    '                    input / output, overriding --io (repeatable)\n' +
    'Per-layer error (integer modes; as TFLite\'s QuantizationDebugger: each quantized\n' +
    'layer\'s output against the float op run on its dequantized inputs, averaged\n' +
    'over the --repr samples; see `qlite compare`):\n' +
    '--report FILE.md|FILE.json   the per-op-type report and the per-layer metrics\n' +
    '--auto-denylist N   quantize, measure, keep the N layers with the largest\n' +
    '                    rmse/scale float (as --denylist-nodes) and quantize again\n' +
    '--model-explorer FILE.json   rmse/scale per node as Model Explorer custom node data\n',
  compare:
    'usage: qlite compare FLOAT.tflite QUANT.tflite --repr SPEC ... [--json FILE]\n' +
    '                     [--mean A,B,C --std A,B,C | --range LO,HI]\n' +
    'Runs QUANT over the --repr samples (FILE.npy, raw float32 FILE or random:N, one\n' +
    '--repr per input) and prints, per quantized layer that FLOAT computes too (same\n' +
    'op, same output tensor name), the error of its dequantized output against the\n' +
    'float op run on the layer\'s own dequantized inputs, as TFLite\'s\n' +
    'QuantizationDebugger: num_elements, stddev, mean_error, max_abs_error,\n' +
    'mean_squared_error, plus rmse/scale, SNR (dB) and cosine similarity, each the\n' +
    'mean over the samples (the table of the C++ `qlite compare`).\n' +
    '--json FILE   also write the metrics as JSON\n',
};

const MAIN_USAGE = 'usage: qlite <command> [options]\n\ncommands:\n' +
  '  inspect    print a model\'s tensors, operators and arena size\n' +
  '  run        run one inference on input files and write the outputs\n' +
  '  quantize   post-training quantization (float16, dynamic, int8, int16x8)\n' +
  '  compare    per-layer error of a quantized model against its float model\n' +
  '\n\'qlite <command> --help\' describes a command\'s options.\n';

// tools/lib/args.cc's ParseArgs: --name VALUE, --name=VALUE, --flag; anything
// not starting with "--" (or shorter than 3 characters) is positional.
function parseArgs(argv, valueOptions, flagOptions) {
  const args = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg.length < 3 || !arg.startsWith('--')) {
      args.positional.push(arg);
      continue;
    }
    let name = arg.slice(2);
    let value;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (flagOptions.includes(name)) {
      if (value !== undefined) throw new CliError(`option --${name} takes no value`);
      args.flags.add(name);
    } else if (valueOptions.includes(name)) {
      if (value === undefined) {
        if (i + 1 >= argv.length) throw new CliError(`option --${name} needs a value`);
        value = argv[++i];
      }
      if (!args.values.has(name)) args.values.set(name, []);
      args.values.get(name).push(value);
    } else {
      throw new CliError(`unknown option --${name}`);
    }
  }
  args.all = (name) => args.values.get(name) ?? [];
  args.get = (name, fallback = '') => {
    const list = args.all(name);
    return list.length && list.at(-1) !== '' ? list.at(-1) : fallback;
  };
  args.has = (name) => args.flags.has(name) || args.values.has(name);
  return args;
}

const STRERROR = {
  ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory', EMFILE: 'Too many open files',
};

// ReadFileBytes's messages (core/format/model_reader.cc).
export function readFileBytes(path) {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    if (error.code === 'EISDIR') throw new CliError(`error while reading '${path}'`);
    throw new CliError(`cannot open '${path}': ${STRERROR[error.code] ?? error.message}`);
  }
}

function writeFileBytes(path, bytes) {
  try {
    writeFileSync(path, bytes);
  } catch (error) {
    throw new CliError(`cannot write '${path}': ${STRERROR[error.code] ?? error.message}`);
  }
}

// The message of a package error without its "qlite: " / "qlite.x: " prefix.
function coreMessage(error) {
  return error.message.replace(/^qlite(\.\w+)?: /, '');
}

function kernelsOption(args) {
  const kernels = args.get('kernels', 'simd');
  if (kernels !== 'simd' && kernels !== 'reference') {
    throw new CliError(`--kernels must be simd or reference, got '${kernels}'`);
  }
  return kernels;
}

const shapeText = (shape) => `[${shape.join(',')}]`;

async function inspect(args, out) {
  const kernels = kernelsOption(args);
  const path = args.positional[0];
  const bytes = readFileBytes(path);
  const qlite = await loadQlite();
  let description;
  try {
    description = await qlite.describeModel(bytes, { kernels });
  } catch (error) {
    throw new CliError(`${path}: ${coreMessage(error)}`);
  }
  out.push(`model: ${path}\n${description.text}`);
  if (description.error) throw new CliError(description.error);
}

// FormatValues (tools/lib/tensor_io.cc): up to `max` values, floats as %g.
function formatValues(values, dtype, max) {
  const n = Math.min(values.length, max);
  const parts = [];
  for (let i = 0; i < n; ++i) {
    if (dtype === 'float32') parts.push(formatFloat(values[i]));
    else if (['int8', 'uint8', 'int16', 'int32', 'int64'].includes(dtype)) parts.push(String(values[i]));
    else parts.push('?');
  }
  if (n < values.length) parts.push('...');
  return parts.join(', ');
}

function parseCount(text, lo, hi, what) {
  const v = /^[+-]?\d+$/.test(text.trim()) && !/^\s/.test(text) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(v) && v >= lo && v <= hi)) {
    throw new CliError(`${what} must be a whole number from ${lo} to ${hi}, got '${text}'`);
  }
  return v;
}

async function run(args, out) {
  const path = args.positional[0];
  const bytes = readFileBytes(path);
  const threads = args.has('threads') ? parseCount(args.get('threads'), 1, 64, '--threads') : 1;
  const qlite = await loadQlite({ threads });
  const kernels = kernelsOption(args);
  const arithmetic = args.get('arithmetic', 'tflite');
  if (arithmetic !== 'tflite' && arithmetic !== 'xnnpack') {
    throw new CliError(`--arithmetic must be tflite or xnnpack, got '${arithmetic}'`);
  }
  let model;
  try {
    model = qlite.loadModel(bytes, {
      kernels, arithmetic, threads: qlite.threads, profile: args.has('profile'),
    });
  } catch (error) {
    // The reader's messages name the file, as ReadModelFile's do.
    await qlite.describeModel(bytes).catch((readError) => {
      throw new CliError(`${path}: ${coreMessage(readError)}`);
    });
    throw new CliError(coreMessage(error));
  }
  const steps = args.has('steps') ? parseCount(args.get('steps'), 1, 1 << 20, '--steps') : 1;
  const inputs = args.all('input');
  const numInputs = model.inputs.length;
  if (inputs.length !== numInputs * steps) {
    throw new CliError(`the model has ${numInputs} inputs${steps > 1 ? `, times ${steps} steps,` : ''}` +
      ` but ${inputs.length} --input files were given`);
  }
  const dir = args.get('output-dir');
  if (dir && !(existsSync(dir) && statSync(dir).isDirectory())) {
    throw new CliError(`output directory '${dir}' does not exist`);
  }
  for (let step = 0; step < steps; ++step) {
    if (args.has('reset')) model.resetVariables();
    const where = steps > 1 ? `step ${step}: ` : '';
    const data = model.inputs.map((info, i) => {
      try {
        return readTensorFile(inputs[step * numInputs + i], info.dtype, info.bytes, readFileBytes);
      } catch (error) {
        throw new CliError(`${where}input ${i} '${info.name}' (${info.dtype} ` +
          `${shapeText(info.shape)}): ${error.message}`);
      }
    });
    let outputs;
    try {
      outputs = model.run(data);
    } catch (error) {
      throw new CliError(where + coreMessage(error));
    }
    outputs.forEach((values, i) => {
      const info = model.outputs[i];
      out.push(`${where}output ${i} '${info.name}' ${info.dtype} ${shapeText(info.shape)}: ` +
        `${formatValues(values, info.dtype, 16)}\n`);
      if (!dir) return;
      const file = steps > 1 ? `${dir}/step${step}.output${i}.bin` : `${dir}/output${i}.bin`;
      writeFileBytes(file, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    });
  }
  if (args.has('profile')) {
    let total = 0;
    out.push(`\n${'node'.padStart(5)}  ${'op'.padEnd(18)} ${'kernel'.padEnd(24)} ${'us'.padStart(10)}\n`);
    for (const node of model.profile()) {
      total += node.us;
      out.push(`${String(node.node).padStart(5)}  ${node.op.padEnd(18)} ${node.kernel.padEnd(24)} ` +
        `${node.us.toFixed(1).padStart(10)}\n`);
    }
    out.push(`total ${total.toFixed(1)} us, arena ${model.arenaBytes} bytes\n`);
  }
  model.dispose();
}

const MODES = ['float16', 'dynamic', 'int8-fallback', 'int8', 'int16x8'];
const IO_NAMES = { float: 'float32', float32: 'float32', int8: 'int8', uint8: 'uint8', int16: 'int16' };
const IMAGE_EXTENSIONS = /\.(png|jpe?g|bmp)$/i;

function ioTypeOption(flag, values) {
  const types = {};
  for (const value of values) {
    const eq = value.lastIndexOf('=');
    const type = IO_NAMES[value.slice(eq + 1)];
    if (eq <= 0 || !type) {
      throw new CliError(`--${flag}: expected NAME=float|int8|uint8|int16, got '${value}'`);
    }
    types[value.slice(0, eq)] = type;
  }
  return types;
}

function floatList(flag, text, count) {
  const values = text.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (values.some(Number.isNaN) || (count && values.length !== count)) {
    throw new CliError(`--${flag} must be numbers a[,b,c], got '${text}'`);
  }
  return values.map(Math.fround);
}

// ParseImageNormalization (tools/lib/image_dataset.cc) for random:N specs.
function normalizationOption(args) {
  const mean = args.get('mean');
  const std = args.get('std');
  const range = args.get('range');
  if ((mean === '') !== (std === '')) throw new CliError('--mean and --std go together');
  if (mean && range) throw new CliError('give --mean/--std or --range, not both');
  if (mean) {
    const stds = floatList('std', std);
    if (stds.includes(0)) throw new CliError(`--std values must not be 0, got '${std}'`);
    return { mean: floatList('mean', mean), std: stds };
  }
  let [lo, hi] = [0, 1];
  if (range) {
    const bounds = range.split(',').map(Number).map(Math.fround);
    if (bounds.length !== 2 || bounds.some(Number.isNaN) || !(bounds[0] < bounds[1])) {
      throw new CliError(`--range must be lo,hi with lo < hi, got '${range}'`);
    }
    [lo, hi] = bounds;
  }
  const s = Math.fround(255 / Math.fround(hi - lo));
  return { mean: [Math.fround(-lo * s)], std: [s] };
}

// One Float32Array of samples per input, from the --repr specs.
function representativeData(specs, infos, normalization) {
  if (specs.length !== infos.length) {
    throw new CliError(`the model has ${infos.length} inputs but ${specs.length} representative ` +
      'dataset(s) were given; give one --repr per input');
  }
  const perInput = specs.map((spec, i) => {
    const info = infos[i];
    const elements = info.shape.reduce((a, b) => a * b, 1);
    // InputLabel of data/dataset.cc and of tools/lib/image_dataset.cc.
    const shape = `input ${i} ('${info.name}', shape ${shapeText(info.shape)}`;
    const label = `${shape}, ${elements} values)`;
    if (spec.startsWith('random:')) {
      const count = parseCount(spec.slice(7), 1, 100000, 'random:N sample count');
      return randomSamples(count, info.shape, `${shape})`, normalization, i, CliError);
    }
    if (spec.startsWith('mnist:') || /[*?[]/.test(spec) || IMAGE_EXTENSIONS.test(spec) ||
        (existsSync(spec) && statSync(spec).isDirectory())) {
      throw new CliError(`--repr '${spec}': the JS CLI reads .npy, raw float32 and random:N ` +
        'specs (decode images in JS and pass them to quantizeModel, or save them as .npy)');
    }
    const bytes = readFileBytes(spec);
    if (spec.endsWith('.npy')) return readNpy(bytes, spec, elements, label, CliError);
    if (bytes.length === 0 || bytes.length % (elements * 4) !== 0) {
      throw new CliError(`${spec}: ${bytes.length} bytes is not a whole number of float32 ` +
        `samples for ${label} (${elements * 4} bytes each)`);
    }
    return { count: bytes.length / (elements * 4), values: new Float32Array(bytes.buffer) };
  });
  perInput.forEach(({ count }, i) => {
    if (count !== perInput[0].count) {
      throw new CliError(`representative data for input 0 has ${perInput[0].count} samples but ` +
        `input ${i} has ${count}`);
    }
  });
  return Array.from({ length: perInput[0].count }, (_, n) => {
    const sample = perInput.map(({ values }, i) => {
      const elements = values.length / perInput[i].count;
      return values.subarray(n * elements, (n + 1) * elements);
    });
    return sample.length === 1 ? sample[0] : sample;
  });
}

// FormatReportTable (quantize/report.cc) from the report quantizeModel returns.
function reportTable(report) {
  let table = 'op type                    count  outcome\n';
  for (const g of report.ops) {
    const count = String(g.count);
    table += `${g.op.padEnd(26)}${' '.repeat(count.length < 6 ? 6 - count.length : 1)}${count}  ` +
      `${g.status}: ${g.result}\n`;
  }
  table += `${report.quantizedOps} op(s) quantized, ${report.floatOps} float`;
  if (report.foldedFloat16 > 0) table += `, ${report.foldedFloat16} float16 constant(s) folded`;
  return `${table}\n`;
}

// The model's input infos; a model qlite cannot load is a CliError (`where` in front).
function modelInputs(qlite, bytes, where) {
  try {
    const model = qlite.loadModel(bytes);
    const { inputs } = model;
    model.dispose();
    return inputs;
  } catch (error) {
    throw new CliError(`${where}${coreMessage(error)}`);
  }
}

async function quantizeCommand(args, out, err) {
  const inPath = args.positional[0];
  const outPath = args.get('output');
  if (!outPath) throw new CliError('missing -o OUT.tflite');
  const modeList = '(float16, dynamic, int8-fallback, int8, int16x8)';
  if (!args.has('mode')) throw new CliError(`missing --mode ${modeList}`);
  const mode = args.get('mode');
  if (!MODES.includes(mode)) throw new CliError(`unknown --mode '${mode}' ${modeList}`);
  const ioName = args.get('io', 'float');
  if (args.has('io') && !IO_NAMES[args.get('io')]) {
    throw new CliError(`unknown --io '${args.get('io')}' (float, int8, uint8, int16)`);
  }
  const io = IO_NAMES[ioName];
  const ioLabel = io === 'float32' ? 'float' : io;
  const options = {
    mode, io, allowFloat: args.has('allow-float'), perChannel: !args.has('per-tensor'),
    biasType: args.has('bias-int32') ? 'int32' : 'int64',
    denylistOps: args.all('denylist-ops').flatMap((list) => list.split(',')),
    denylistNodes: args.all('denylist-nodes'),
    inputTypes: ioTypeOption('input-type', args.all('input-type')),
    outputTypes: ioTypeOption('output-type', args.all('output-type')),
  };
  const integerMode = ['int8', 'int8-fallback', 'int16x8'].includes(mode);
  if (!integerMode && io !== 'float32') {
    throw new CliError(`--io applies to the integer modes only; ${mode} models keep float I/O`);
  }
  if (mode === 'int8-fallback' && io !== 'float32') {
    throw new CliError(`int8-fallback models keep float I/O (use --mode int8 for --io ${ioLabel})`);
  }
  const inBytes = readFileBytes(inPath);
  const qlite = await loadQlite();
  try {
    await qlite.describeModel(inBytes);
  } catch (error) {
    throw new CliError(`${inPath}: ${coreMessage(error)}`);
  }
  // The per-layer report flags, checked as tools/cmd_quantize.cc does.
  const autoDenylist = args.get('auto-denylist');
  if (args.has('auto-denylist') && !/^[0-9]{1,6}$/.test(autoDenylist)) {
    throw new CliError(`--auto-denylist takes a layer count, got '${autoDenylist}'`);
  }
  options.autoDenylist = args.has('auto-denylist') ? Number(autoDenylist) : 0;
  const reportPath = args.get('report');
  const explorerPath = args.get('model-explorer');
  if (reportPath && !reportPath.endsWith('.md') && !reportPath.endsWith('.json')) {
    throw new CliError(`--report '${reportPath}': the file must end in .md or .json`);
  }
  if (!integerMode && (options.autoDenylist > 0 || explorerPath)) {
    throw new CliError('--auto-denylist and --model-explorer measure quantized activations: ' +
      `they need an integer mode, not ${mode}`);
  }
  options.layerReport = Boolean(reportPath || explorerPath);
  if (integerMode) {
    if (args.all('repr').length === 0) {
      throw new CliError(`--mode ${mode} needs a representative dataset (--repr FOLDER, ` +
        'mnist:train:100, FILE.npy, FILE or random:N)');
    }
    const normalization = normalizationOption(args);
    const infos = modelInputs(qlite, inBytes, '');
    options.representative = representativeData(args.all('repr'), infos, normalization);
  } else if (args.all('repr').length > 0) {
    err.push(`qlite quantize: note: --mode ${mode} does not use --repr\n`);
  }
  let quantized;
  const warn = console.warn; // the CLI prints the report's warnings itself
  console.warn = () => {};
  try {
    quantized = await qlite.quantizeModel(inBytes, options);
  } catch (error) {
    throw new CliError(coreMessage(error).replace(/^(denylist-ops|denylist-nodes|input-type|output-type): /, '--$1: '));
  } finally {
    console.warn = warn;
  }
  writeFileBytes(outPath, quantized);
  const { report, layerReport } = quantized;
  const encoder = new TextEncoder();
  if (reportPath) {
    writeFileBytes(reportPath,
      encoder.encode(reportPath.endsWith('.json') ? layerReport.json : layerReport.markdown));
  }
  if (explorerPath) writeFileBytes(explorerPath, encoder.encode(layerReport.modelExplorer));
  out.push(`quantized ${inPath} -> ${outPath} (mode ${mode}, io ${ioLabel})\n`, reportTable(report));
  for (const name of layerReport?.keptFloat ?? []) out.push(`kept float by --auto-denylist: ${name}\n`);
  for (const warning of report.warnings) err.push(`qlite quantize: warning: ${warning}\n`);
  const row = (name, bytes, ratio) =>
    `${name.padEnd(16)} ${String(bytes).padStart(12)} ${ratio.toFixed(2).padStart(7)}x\n`;
  out.push(`\n${'model'.padEnd(16)} ${'bytes'.padStart(12)} ${'shrink'.padStart(8)}\n`,
    row(report.foldedFloat16 > 0 ? 'float16 (input)' : 'float32 (input)', inBytes.length, 1),
    row(mode, quantized.length, quantized.length ? inBytes.length / quantized.length : 0));
  try {
    qlite.loadModel(quantized).dispose();
  } catch (error) {
    err.push(`qlite quantize: note: qlite cannot run the result yet: ${coreMessage(error)}\n`);
  }
}

async function compareCommand(args, out) {
  const [floatPath, quantPath] = args.positional;
  const floatBytes = readFileBytes(floatPath);
  const quantBytes = readFileBytes(quantPath);
  if (args.all('repr').length === 0) {
    throw new CliError('missing --repr (FOLDER, \'GLOB\', FILE.npy, FILE, mnist:train:N or random:N)');
  }
  const qlite = await loadQlite();
  const infos = modelInputs(qlite, floatBytes, `${floatPath}: `);
  const samples = representativeData(args.all('repr'), infos, normalizationOption(args));
  let comparison;
  try {
    comparison = await qlite.compareModels(floatBytes, quantBytes, samples);
  } catch (error) {
    throw new CliError(coreMessage(error));
  }
  if (args.has('json')) {
    writeFileBytes(args.get('json'),
      new TextEncoder().encode(`${JSON.stringify({ keptFloat: [], layers: comparison.layers })}\n`));
  }
  out.push(comparison.table);
}

const COMMANDS = {
  // inspect checks --kernels with the flags (a usage error, exit 2), as the C++ CLI does.
  inspect: { values: ['kernels'], flags: ['help'], check: kernelsOption, run: inspect },
  run: {
    values: ['input', 'output-dir', 'kernels', 'steps', 'arithmetic', 'threads'],
    flags: ['profile', 'reset', 'help'],
    run,
  },
  quantize: {
    values: ['output', 'mode', 'repr', 'io', 'denylist-ops', 'denylist-nodes', 'input-type',
      'output-type', 'mean', 'std', 'range', 'report', 'auto-denylist', 'model-explorer'],
    flags: ['help', 'allow-float', 'per-tensor', 'bias-int32'],
    run: quantizeCommand,
  },
  compare: {
    values: ['repr', 'json', 'mean', 'std', 'range'],
    flags: ['help'],
    positional: 2,
    run: compareCommand,
  },
};

// Runs `qlite argv...`; returns { code, stdout, stderr } (nothing is printed).
export async function main(argv) {
  const out = [];
  const err = [];
  const done = (code) => ({ code, stdout: out.join(''), stderr: err.join('') });
  const name = argv[0];
  if (name === undefined) {
    err.push(MAIN_USAGE);
    return done(2);
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    out.push(MAIN_USAGE);
    return done(0);
  }
  const command = COMMANDS[name];
  if (!command) {
    err.push(`qlite: unknown command '${name}'\n\n`, MAIN_USAGE);
    return done(2);
  }
  // `-o FILE` is the short form of `--output FILE` (quantize).
  const rest = argv.slice(1).map((a) => (name === 'quantize' && a === '-o' ? '--output' : a));
  let args;
  let parseError = null;
  try {
    args = parseArgs(rest, command.values, command.flags);
    command.check?.(args); // after parsing: a failed check keeps `args` (and --help)
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    parseError = error;
  }
  const help = args?.has('help') ?? false;
  if (parseError || help || args.positional.length !== (command.positional ?? 1)) {
    if (parseError) err.push(`qlite ${name}: ${parseError.message}\n`);
    (help ? out : err).push(USAGE[name]);
    return done(help && !parseError ? 0 : 2);
  }
  try {
    await command.run(args, out, err);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    err.push(`qlite ${name}: ${error.message}\n`);
    return done(1);
  }
  return done(0);
}

// Run as a program (also through npx's symlink), not when a test imports main().
const isMain = process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) {
  const { code, stdout, stderr } = await main(process.argv.slice(2));
  process.stdout.write(stdout);
  process.stderr.write(stderr);
  process.exitCode = code;
}
