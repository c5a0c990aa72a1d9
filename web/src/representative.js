// quantizeModel()'s representative samples: typed arrays as given, or
// ImageData-like images ({ data: RGBA bytes, width, height }, as ImageData and
// canvases give them; in a browser also ImageBitmap and loaded <img> elements,
// drawn onto a canvas first) turned into the model input's floats the way
// `qlite quantize --repr FOLDER` does: resized to the input's H x W
// (bilinear, half-pixel centres), read as options.color (default rgb for 3
// channels, gray for 1: stb_image's (77 R + 150 G + 29 B) >> 8) and
// normalised per channel, pixel p in [0, 255] -> (p - mean) / std, or
// lo + p * (hi - lo) / 255 with range [lo, hi] (default [0, 1]).

import { typeName } from './quantize-options.js';

const WHERE = 'qlite.quantizeModel';

/** True for { data, width, height } objects (ImageData, or a look-alike). */
export function isImageLike(value) {
  return value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) &&
    !Array.isArray(value) && 'data' in value && 'width' in value && 'height' in value;
}

// A decoded browser image (ImageBitmap, or a loaded <img>) as ImageData: drawn
// onto an OffscreenCanvas (a <canvas> where there is none) and read back, so
// it takes the ImageData path; null for anything else.
function drawnImage(value) {
  const bitmap = typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap;
  const element = typeof HTMLImageElement !== 'undefined' && value instanceof HTMLImageElement;
  if (!bitmap && !element) return null;
  const width = bitmap ? value.width : value.naturalWidth;
  const height = bitmap ? value.height : value.naturalHeight;
  if (!(width > 0 && height > 0)) {
    throw new TypeError(`${WHERE}: ${bitmap ? 'an ImageBitmap' : 'an <img>'} without pixels ` +
      `(${bitmap ? 'closed' : 'not loaded yet: await img.decode() first'})`);
  }
  const canvas = typeof OffscreenCanvas !== 'undefined'
    ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(value, 0, 0);
  return context.getImageData(0, 0, width, height);
}

// One number or an array of numbers -> an array of finite numbers.
function numbers(name, value) {
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every(Number.isFinite)) {
    throw new TypeError(`${WHERE}: ${name} must be a number or an array of numbers, got ` +
      `${typeName(value)}`);
  }
  return list;
}

// The image options checked once: { color, mean, std } with range folded into mean and std.
function imageOptions({ color, mean, std, range }) {
  if (color !== undefined && !['rgb', 'bgr', 'gray'].includes(color)) {
    throw new TypeError(`${WHERE}: color must be 'rgb', 'bgr' or 'gray', got '${color}'`);
  }
  if ((mean === undefined) !== (std === undefined)) {
    throw new TypeError(`${WHERE}: mean and std go together`);
  }
  if (mean !== undefined && range !== undefined) {
    throw new TypeError(`${WHERE}: give mean/std or range, not both`);
  }
  if (mean !== undefined) {
    const stds = numbers('std', std);
    if (stds.includes(0)) throw new RangeError(`${WHERE}: std values must not be 0`);
    return { color, mean: numbers('mean', mean), std: stds };
  }
  const bounds = range === undefined ? [0, 1] : numbers('range', range);
  const [lo, hi] = bounds;
  if (bounds.length !== 2 || !(lo < hi)) {
    throw new RangeError(`${WHERE}: range must be [lo, hi] with lo < hi, got [${range}]`);
  }
  return { color, mean: [-lo * 255 / (hi - lo)], std: [255 / (hi - lo)] };
}

// Bilinear resize of h x w x c values (half-pixel centres, clamped at the edges).
function resizeBilinear(pixels, h, w, c, outH, outW) {
  const out = new Float32Array(outH * outW * c);
  const source = (dst, size, outSize) => {
    const pos = Math.min(Math.max((dst + 0.5) * size / outSize - 0.5, 0), size - 1);
    const lo = Math.floor(pos);
    return [lo, Math.min(lo + 1, size - 1), pos - lo];
  };
  for (let y = 0; y < outH; ++y) {
    const [y0, y1, fy] = source(y, h, outH);
    for (let x = 0; x < outW; ++x) {
      const [x0, x1, fx] = source(x, w, outW);
      for (let k = 0; k < c; ++k) {
        const at = (yy, xx) => pixels[(yy * w + xx) * c + k];
        const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * fx;
        const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * fx;
        out[(y * outW + x) * c + k] = top + (bottom - top) * fy;
      }
    }
  }
  return out;
}

// One image -> the input's Float32Array; `info` is the model input ({ name, shape }).
function imageToInput(image, info, options, index) {
  const label = `input ${index} ('${info.name}', shape [${info.shape}])`;
  // [1, H, W, C] or [H, W, C] with C = 1 or 3, or [1, H, W] (gray).
  const s = info.shape;
  const gray = s.length === 3 && s[0] === 1 && s[2] !== 1 && s[2] !== 3;
  const [h, w, c] = gray ? [s[1], s[2], 1] : s.slice(-3);
  if (!((s.length === 4 && s[0] === 1) || s.length === 3) || !(c === 1 || c === 3)) {
    throw new RangeError(`${WHERE}: an image needs an image input [1, H, W, 1 or 3], ` +
      `[H, W, 1 or 3] or [1, H, W]; ${label} is not one`);
  }
  const color = options.color ?? (c === 3 ? 'rgb' : 'gray');
  if ((color === 'gray' ? 1 : 3) !== c) {
    throw new RangeError(`${WHERE}: color '${color}' gives ${color === 'gray' ? 1 : 3} ` +
      `channel(s) but ${label} has ${c}`);
  }
  const { data, width, height } = image;
  if (!(Number.isSafeInteger(width) && width > 0 && Number.isSafeInteger(height) && height > 0) ||
      !(ArrayBuffer.isView(data) || Array.isArray(data)) || data.length !== width * height * 4) {
    throw new TypeError(`${WHERE}: an image needs RGBA data of width * height * 4 bytes and ` +
      `positive integer width and height (got ${typeName(data)} of ${data?.length} for ` +
      `${width}x${height})`);
  }
  for (const [name, list] of [['mean', options.mean], ['std', options.std]]) {
    if (list.length !== 1 && list.length !== c) {
      throw new RangeError(`${WHERE}: ${name} has ${list.length} values; ${label} has ${c} ` +
        `channel(s) (give 1 or ${c})`);
    }
  }
  const pixels = new Uint8Array(width * height * c);
  for (let p = 0; p < width * height; ++p) {
    const [r, g, b] = [data[4 * p], data[4 * p + 1], data[4 * p + 2]];
    if (c === 1) pixels[p] = (r * 77 + g * 150 + b * 29) >> 8;
    else pixels.set(color === 'bgr' ? [b, g, r] : [r, g, b], 3 * p);
  }
  const values = resizeBilinear(pixels, height, width, c, h, w);
  for (let k = 0; k < values.length; ++k) {
    const ch = k % c;
    values[k] = (values[k] - options.mean[options.mean.length === 1 ? 0 : ch]) /
      options.std[options.std.length === 1 ? 0 : ch];
  }
  return values;
}

/**
 * Representative samples -> one Float32Array: every sample's inputs in input
 * order. inputInfos() gives the model's inputs; it is called only when a
 * sample holds an image.
 */
export function flattenSamples(representative, options, inputInfos) {
  if (!Array.isArray(representative)) {
    throw new TypeError(`${WHERE}: representative must be an array of samples, got ` +
      `${typeName(representative)}`);
  }
  const image = imageOptions(options);
  let infos = null;
  const parts = [];
  for (const sample of representative) {
    const inputs = Array.isArray(sample) && sample.length && typeof sample[0] !== 'number'
      ? sample : [sample];
    inputs.forEach((given, i) => {
      const values = drawnImage(given) ?? given;
      if (isImageLike(values)) {
        infos ??= inputInfos();
        if (i >= infos.length) {
          throw new RangeError(`${WHERE}: a sample has an image for input ${i}; the model has ` +
            `${infos.length} input(s)`);
        }
        parts.push(imageToInput(values, infos[i], image, i));
      } else if (ArrayBuffer.isView(values) || Array.isArray(values)) {
        parts.push(values);
      } else {
        throw new TypeError(`${WHERE}: a sample input must be a Float32Array, an array of ` +
          `numbers or an ImageData-like image, got ${typeName(values)}`);
      }
    });
  }
  const flat = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    flat.set(p, offset);
    offset += p.length;
  }
  return flat;
}
