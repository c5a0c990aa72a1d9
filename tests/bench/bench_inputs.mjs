// Benchmark inputs, the same bytes in the page and in Node (seeded xorshift32).
// 'image' (the default): smooth gradients plus a little noise per channel, as a
// photo's neighbouring pixels are close and use the whole range; floats in the
// model's float range, int8/uint8 in the range the input's scale and zero
// point represent, quantized with them. 'random': uniform values (floats over
// the float range, integers over their whole type), no image statistics.
const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array,
  int32: Int32Array };
const INT_RANGES = { int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], int32: [0, 255] };

export const INPUT_KINDS = ['image', 'random'];

function xorshift(seed) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

// [height, width, channels] of an NHWC image tensor; other ranks: one row.
function imageDims(shape) {
  const n = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 4) return [shape[1], shape[2], shape[3]];
  if (shape.length === 3) return [shape[1], shape[2], 1];
  return [1, n, 1];
}

// Values in [0, 1]: per channel a product of two slow waves, a diagonal ramp
// and +-0.03 noise.
function imagePattern(shape, next) {
  const [h, w, c] = imageDims(shape);
  const waves = Array.from({ length: c }, () => [0.5 + 2 * next(), 0.5 + 2 * next(), 6.283 * next(),
    6.283 * next()]);
  const out = new Float64Array(h * w * c);
  for (let y = 0; y < h; ++y) {
    for (let x = 0; x < w; ++x) {
      for (let k = 0; k < c; ++k) {
        const [fx, fy, px, py] = waves[k];
        const v = 0.5 + 0.3 * Math.sin(6.283 * fx * x / w + px) * Math.cos(6.283 * fy * y / h + py) +
          0.15 * (x / w - y / h) + 0.06 * (next() - 0.5);
        out[(y * w + x) * c + k] = Math.min(1, Math.max(0, v));
      }
    }
  }
  return out;
}

// One typed array per input info ({ dtype, shape, scale, zeroPoint }).
export function makeInputs(infos, { kind = 'image', seed = 12345, floatRange = [-1, 1] } = {}) {
  if (!INPUT_KINDS.includes(kind)) throw new Error(`unknown input kind '${kind}'`);
  const next = xorshift(seed);
  const [lo, hi] = floatRange;
  return infos.map((info) => {
    const Ctor = TYPED[info.dtype];
    if (!Ctor) throw new Error(`no benchmark inputs for ${info.dtype}`);
    const n = info.shape.reduce((a, b) => a * b, 1);
    const a = new Ctor(n);
    const t = kind === 'image' ? imagePattern(info.shape, next) : Float64Array.from({ length: n }, next);
    if (info.dtype === 'float32') {
      for (let i = 0; i < n; ++i) a[i] = lo + t[i] * (hi - lo);
      return a;
    }
    const [qmin, qmax] = INT_RANGES[info.dtype];
    const quantized = kind === 'image' && info.scale > 0 && info.dtype !== 'int32';
    for (let i = 0; i < n; ++i) {
      if (quantized) {
        // The real range the tensor holds, quantized back with its parameters.
        const real = info.scale * (qmin - info.zeroPoint) + t[i] * info.scale * (qmax - qmin);
        a[i] = Math.min(qmax, Math.max(qmin, Math.round(real / info.scale) + info.zeroPoint));
      } else {
        a[i] = Math.min(qmax, qmin + Math.floor(t[i] * (qmax - qmin + 1)));
      }
    }
    return a;
  });
}
