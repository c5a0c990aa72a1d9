// A digit classifier page on the qlite npm package: draw on the canvas or
// upload an image; the MNIST model (./model.tflite next to the page, or
// ?model=URL) classifies it. The same source bundles with Vite (no
// configuration) and esbuild (with qlite's esbuild plugin); see README.md.
import { loadQlite } from 'qlite';
import { mnistPixels } from './mnist.js';

const pad = document.getElementById('pad');
const context = pad.getContext('2d', { willReadFrequently: true });
const show = (id, text) => { document.getElementById(id).textContent = text; };

function clear() {
  context.fillStyle = '#000';
  context.fillRect(0, 0, pad.width, pad.height);
  show('prediction', '-');
  show('scores', '');
}

const modelUrl = new URLSearchParams(location.search).get('model') ?? 'model.tflite';
const [qlite, modelBytes] = await Promise.all([
  loadQlite(),
  fetch(modelUrl).then((r) => {
    if (!r.ok) throw new Error(`cannot fetch ${modelUrl}: HTTP ${r.status}`);
    return r.arrayBuffer();
  }),
]);
const model = qlite.loadModel(new Uint8Array(modelBytes));
const [input] = model.inputs;
const [output] = model.outputs;

// Runs the model on the canvas; resolves to { digit, scores } (null: no ink).
function classify() {
  const pixels = mnistPixels(pad);
  if (!pixels) return null;
  const x = input.dtype === 'float32' ? pixels
    : qlite.quantize(pixels, input.scale, input.zeroPoint, input.dtype);
  const [y] = model.run([x]);
  const scores = output.dtype === 'float32' ? y
    : qlite.dequantize(y, output.scale, output.zeroPoint, output.dtype);
  const digit = scores.indexOf(Math.max(...scores));
  show('prediction', String(digit));
  show('scores', [...scores].map((s, d) => `${d}: ${s.toFixed(3)}`).join('\n'));
  return { digit, scores: [...scores] };
}

// Drawing: white strokes on black, as the MNIST digits are.
let drawing = false;
pad.addEventListener('pointerdown', (event) => {
  drawing = true;
  pad.setPointerCapture(event.pointerId);
  context.beginPath();
  context.moveTo(event.offsetX, event.offsetY);
});
pad.addEventListener('pointermove', (event) => {
  if (!drawing) return;
  Object.assign(context, { strokeStyle: '#fff', lineWidth: 22, lineCap: 'round', lineJoin: 'round' });
  context.lineTo(event.offsetX, event.offsetY);
  context.stroke();
});
pad.addEventListener('pointerup', () => {
  drawing = false;
  classify();
});
document.getElementById('clear').addEventListener('click', clear);

function lightBackground(bitmap) {
  const small = new OffscreenCanvas(16, 16).getContext('2d', { willReadFrequently: true });
  small.drawImage(bitmap, 0, 0, 16, 16);
  const { data } = small.getImageData(0, 0, 16, 16);
  let sum = 0;
  for (let i = 1; i < data.length; i += 4) sum += data[i];
  return sum / (data.length / 4) > 127;
}

// An uploaded image, scaled onto the canvas (letterboxed) and classified.
async function classifyImage(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
  const [w, h] = [bitmap.width * scale, bitmap.height * scale];
  clear();
  context.filter = lightBackground(bitmap) ? 'invert(1)' : 'none'; // dark ink on paper
  context.drawImage(bitmap, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
  context.filter = 'none';
  return classify();
}
document.getElementById('image').addEventListener('change', async (event) => {
  const [file] = event.target.files;
  if (file) show('status', `${file.name}: ${(await classifyImage(file)) ? 'classified' : 'no ink found'}`);
});

clear();
show('status', `${qlite.wasmBuild}, model input ${input.dtype} [${input.shape}]`);
window.classifyDemo = { ready: true, classify, classifyImage, clear };
