// The file formats of the C++ CLI for bin/qlite.mjs: tensor inputs (raw bytes
// or .csv, tools/lib/tensor_io.cc), float printing as its ostream does, .npy
// and random:N representative samples (data/dataset.cc,
// tools/lib/image_dataset.cc), each giving the same values as there.

// dtype -> typed array constructor (as src/index.js's run() takes them).
const TYPED_ARRAYS = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array,
  int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array, float16: Uint16Array,
};

const INT_RANGES = {
  int8: [-128n, 127n], uint8: [0n, 255n], int16: [-32768n, 32767n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

// strtof's whole-token forms: decimal, inf/infinity, nan.
const FLOAT_TOKEN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const SPECIAL_TOKEN = /^([+-]?)(inf|infinity|nan)$/i;

function parseFloatToken(token) {
  const special = SPECIAL_TOKEN.exec(token);
  if (special) {
    const sign = special[1] === '-' ? -1 : 1;
    return special[2].toLowerCase() === 'nan' ? NaN : sign * Infinity;
  }
  return FLOAT_TOKEN.test(token) ? Number(token) : undefined;
}

// ParseCsvValues: numbers separated by , ; or whitespace, as `dtype` elements.
function parseCsv(text, dtype) {
  const tokens = text.split(/[,; \n\r\t]/).filter((t) => t !== '');
  const Ctor = TYPED_ARRAYS[dtype];
  if (tokens.length > 0 && dtype !== 'float32' && !INT_RANGES[dtype]) {
    throw new Error(`CSV input is not supported for dtype ${dtype}`);
  }
  const values = new Ctor(tokens.length);
  tokens.forEach((token, index) => {
    if (dtype === 'float32') {
      const v = parseFloatToken(token);
      if (v === undefined) throw new Error(`value ${index}: '${token}' is not a number`);
      values[index] = v;
      return;
    }
    if (!/^[+-]?\d+$/.test(token)) throw new Error(`value ${index}: '${token}' is not an integer`);
    const v = BigInt(token);
    // strtoll's own range: beyond it the C++ CLI reports "not an integer" (ERANGE).
    if (v < INT_RANGES.int64[0] || v > INT_RANGES.int64[1]) {
      throw new Error(`value ${index}: '${token}' is not an integer`);
    }
    const [lo, hi] = INT_RANGES[dtype];
    if (v < lo || v > hi) throw new Error(`value ${index}: ${token} is out of range for this dtype`);
    values[index] = dtype === 'int64' ? v : Number(v);
  });
  return values;
}

// ReadTensorFile: `path` (.csv / .txt, else raw bytes) as a tensor of `dtype`
// taking `expectedBytes`; read through `readBytes` (the CLI's file reader).
export function readTensorFile(path, dtype, expectedBytes, readBytes) {
  const raw = readBytes(path);
  const Ctor = TYPED_ARRAYS[dtype];
  if (!Ctor) throw new Error(`${path}: the JS CLI cannot feed a ${dtype} input`);
  if (path.endsWith('.csv') || path.endsWith('.txt')) {
    let values;
    try {
      values = parseCsv(new TextDecoder().decode(raw), dtype);
    } catch (error) {
      throw new Error(`${path}: ${error.message}`);
    }
    const element = Ctor.BYTES_PER_ELEMENT;
    if (values.byteLength !== expectedBytes) {
      throw new Error(`${path}: has ${values.length} values, the tensor needs ${expectedBytes / element}`);
    }
    return values;
  }
  if (raw.length !== expectedBytes) {
    throw new Error(`${path}: has ${raw.length} bytes, the tensor needs ${expectedBytes} (${dtype})`);
  }
  const copy = raw.slice(); // own buffer at offset 0: aligned for any element size
  return new Ctor(copy.buffer, 0, copy.length / Ctor.BYTES_PER_ELEMENT);
}

// A float32 value as `std::ostream << float` prints it (precision 6, i.e.
// printf's %g with ties to even on the exact binary value).
export function formatFloat(value) {
  const bits = new Uint32Array(new Float32Array([value]).buffer)[0];
  const negative = bits >>> 31 === 1;
  if (Number.isNaN(value)) return negative ? '-nan' : 'nan';
  if (!Number.isFinite(value)) return negative ? '-inf' : 'inf';
  if (value === 0) return negative ? '-0' : '0';
  // |value| = mantissa * 2^exponent exactly, then as digits * 10^scale.
  const biased = (bits >>> 23) & 0xff;
  const mantissa = BigInt(biased === 0 ? (bits & 0x7fffff) : (bits & 0x7fffff) | 0x800000);
  const exponent = (biased === 0 ? 1 : biased) - 150;
  const digits = exponent >= 0 ? (mantissa << BigInt(exponent)).toString()
    : (mantissa * 5n ** BigInt(-exponent)).toString();
  const scale = Math.min(exponent, 0);
  const precision = 6;
  let lead = digits.length - 1 + scale; // decimal exponent of the first digit
  let head = digits.slice(0, precision).padEnd(precision, '0');
  const rest = digits.slice(precision);
  const half = rest === '' ? -1 : rest[0] > '5' ? 1 : rest[0] < '5' ? -1 : /[1-9]/.test(rest.slice(1)) ? 1 : 0;
  if (half > 0 || (half === 0 && Number(head.at(-1)) % 2 === 1)) {
    head = (BigInt(head) + 1n).toString();
    if (head.length > precision) {
      head = head.slice(0, precision);
      lead += 1;
    }
  }
  const trim = (s) => s.replace(/0+$/, '');
  let text;
  if (lead < -4 || lead >= precision) {
    const fraction = trim(head.slice(1));
    const e = Math.abs(lead).toString().padStart(2, '0');
    text = `${head[0]}${fraction ? `.${fraction}` : ''}e${lead < 0 ? '-' : '+'}${e}`;
  } else if (lead >= 0) {
    const fraction = trim(head.slice(lead + 1));
    text = `${head.slice(0, lead + 1)}${fraction ? `.${fraction}` : ''}`;
  } else {
    text = `0.${'0'.repeat(-lead - 1)}${trim(head)}`;
  }
  return negative ? `-${text}` : text;
}

// The text between the quotes or brackets after `key` in a .npy header.
function headerField(header, key) {
  const at = header.indexOf(`'${key}'`);
  if (at < 0) return undefined;
  let p = header.indexOf(':', at);
  if (p < 0) return undefined;
  p += 1;
  while (header[p] === ' ') ++p;
  const open = header[p];
  const close = open === '\'' ? '\'' : open === '(' ? ')' : undefined;
  if (close === undefined) {
    const end = header.slice(p).search(/[,}]/);
    return end < 0 ? undefined : header.slice(p, p + end);
  }
  const end = header.indexOf(close, p + 1);
  return end < 0 ? undefined : header.slice(p + 1, end);
}

// ParseNpy + OpenRepresentativeDataset's sample count: { count, values } of
// the input `label` names, taking `elements` floats per sample.
export function readNpy(bytes, path, elements, label, CliError) {
  const fail = (message) => { throw new CliError(`${path}: ${message}`); };
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) fail('not a .npy file (bad magic)');
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`unsupported .npy version ${major}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major > 1 && bytes.length < 12) fail('truncated .npy header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const offset = major === 1 ? 10 : 12;
  if (headerLength > bytes.length - offset) fail('truncated .npy header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(offset, offset + headerLength));
  const descr = headerField(header, 'descr');
  const dims = headerField(header, 'shape');
  if (descr === undefined || dims === undefined) fail(`.npy header without descr/shape: ${header}`);
  const fortran = headerField(header, 'fortran_order');
  if (fortran !== undefined && !fortran.startsWith('False')) fail('Fortran-order arrays are not supported');
  const f32 = descr === '<f4' || descr === '=f4';
  if (!f32 && descr !== '<f8' && descr !== '=f8') {
    fail(`dtype '${descr}' is not supported (float32 '<f4' or float64 '<f8')`);
  }
  const shape = dims.split(/[, ]/).filter((d) => d !== '').map((d) => {
    if (!/^\d+$/.test(d) || Number(d) > 2 ** 31) {
      fail(`.npy dimension must be a whole number from 0 to 2147483648, got '${d}'`);
    }
    return Number(d);
  });
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > 2 ** 31) fail('array too large');
  const item = f32 ? 4 : 8;
  const dataOffset = offset + headerLength;
  if (bytes.length - dataOffset !== count * item) {
    fail(`data has ${bytes.length - dataOffset} bytes, shape (${dims}) needs ${count * item}`);
  }
  const values = new Float32Array(count);
  for (let i = 0; i < count; ++i) {
    values[i] = f32 ? view.getFloat32(dataOffset + 4 * i, true) : view.getFloat64(dataOffset + 8 * i, true);
  }
  const trailing = shape.slice(1).reduce((a, b) => a * b, 1);
  let samples = 1;
  if (shape.length > 0 && trailing === elements) {
    samples = shape[0];
  } else if (count !== elements) {
    throw new CliError(`${path}: array of ${count} values is neither one sample nor [N, ...] ` +
      `samples of ${label}`);
  }
  if (samples === 0) fail('holds no samples');
  return { count: samples, values };
}

// std::mt19937 (the C++ CLI seeds one per random sample).
function mt19937(seed) {
  const state = new Uint32Array(624);
  state[0] = seed >>> 0;
  for (let i = 1; i < 624; ++i) {
    const prev = state[i - 1] ^ (state[i - 1] >>> 30);
    state[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  let index = 624;
  return () => {
    if (index >= 624) {
      for (let i = 0; i < 624; ++i) {
        const y = (state[i] & 0x80000000) | (state[(i + 1) % 624] & 0x7fffffff);
        state[i] = state[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    let y = state[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}

// Channels of an image input [1,H,W,C], [H,W,C] or [1,H,W] (C 1 or 3), else 1.
function imageChannels(shape) {
  const [a, b, c, d] = shape;
  let g = null;
  if (shape.length === 4 && a === 1) g = [b, c, d];
  else if (shape.length === 3 && (c === 1 || c === 3)) g = [a, b, c];
  else if (shape.length === 3 && a === 1) g = [b, c, 1];
  return g && g[0] > 0 && g[1] > 0 && (g[2] === 1 || g[2] === 3) ? g[2] : 1;
}

// random:N for model input `input` (`label` names it): uniform float pixels
// in [0, 255] drawn as std::uniform_real_distribution<float> does, then
// (p - mean) / std per channel.
export function randomSamples(count, shape, label, { mean, std }, input, CliError) {
  const elements = shape.reduce((a, b) => a * b, 1);
  if (!(elements > 0)) throw new CliError(`${label} has no fixed size`);
  const channels = imageChannels(shape);
  for (const [name, list] of [['mean', mean], ['std', std]]) {
    if (list.length !== 1 && list.length !== channels) {
      throw new CliError(`--${name} has ${list.length} values; ${label} has ${channels} ` +
        `channel(s) (give 1 or ${channels})`);
    }
  }
  const f = Math.fround;
  const below1 = 1 - 2 ** -24;
  const values = new Float32Array(count * elements);
  for (let n = 0; n < count; ++n) {
    const next = mt19937((input * 1000003 + n) >>> 0);
    for (let k = 0; k < elements; ++k) {
      const canonical = Math.min(f(f(next()) / 4294967296), below1);
      const pixel = f(canonical * 255);
      const c = k % channels;
      values[n * elements + k] = f(f(pixel - mean[mean.length === 1 ? 0 : c]) /
        std[std.length === 1 ? 0 : c]);
    }
  }
  return { count, values };
}
