// MNIST-style preprocessing of a canvas: the ink's bounding box is scaled to
// fit 20x20 (keeping its aspect ratio) and placed in a 28x28 image so that its
// centre of mass lands on pixel (14, 14), as the MNIST digits were made.
// `source`: a canvas with white ink on black. Returns 784 values in [0, 1],
// or null for no ink.
const SIDE = 28;
const BOX = 20;
const INK = 0.05 * 255; // fainter pixels are anti-aliasing fringes

// Ink coverage of every pixel: the green channel (the canvas is grey).
function coverage(context, width, height) {
  const { data } = context.getImageData(0, 0, width, height);
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; ++i) ink[i] = data[4 * i + 1];
  return ink;
}

export function mnistPixels(source) {
  const { width, height } = source;
  const ink = coverage(source.getContext('2d', { willReadFrequently: true }), width, height);
  let [x0, y0, x1, y1] = [width, height, 0, 0];
  for (let y = 0; y < height; ++y) {
    for (let x = 0; x < width; ++x) {
      if (ink[y * width + x] > INK) {
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x + 1); y1 = Math.max(y1, y + 1);
      }
    }
  }
  if (x1 <= x0) return null;
  // The box, scaled into a 20x20 area of a 28x28 canvas (area-averaged by drawImage).
  const scale = BOX / Math.max(x1 - x0, y1 - y0);
  const [w, h] = [Math.max(1, Math.round((x1 - x0) * scale)), Math.max(1, Math.round((y1 - y0) * scale))];
  const box = new OffscreenCanvas(w, h);
  const boxContext = box.getContext('2d', { willReadFrequently: true });
  boxContext.imageSmoothingQuality = 'high';
  boxContext.drawImage(source, x0, y0, x1 - x0, y1 - y0, 0, 0, w, h);
  const scaled = boxContext.getImageData(0, 0, w, h).data;
  let [mass, mx, my] = [0, 0, 0];
  for (let y = 0; y < h; ++y) {
    for (let x = 0; x < w; ++x) {
      const v = scaled[4 * (y * w + x) + 1];
      mass += v; mx += v * x; my += v * y;
    }
  }
  const [dx, dy] = [Math.round(SIDE / 2 - mx / mass), Math.round(SIDE / 2 - my / mass)];
  const pixels = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < h; ++y) {
    for (let x = 0; x < w; ++x) {
      const [tx, ty] = [x + dx, y + dy];
      if (tx >= 0 && tx < SIDE && ty >= 0 && ty < SIDE) {
        pixels[ty * SIDE + tx] = scaled[4 * (y * w + x) + 1] / 255;
      }
    }
  }
  return pixels;
}
