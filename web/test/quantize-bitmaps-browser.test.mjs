// quantizeModel in Chromium with decoded browser images as samples: an
// ImageBitmap and a loaded <img> are drawn onto a canvas and read back, so a
// model calibrated from them is byte for byte the model calibrated from the
// same pixels as ImageData (src/representative.js); an <img> not loaded yet
// is refused by name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { browserMissing, launchChromium, startServer } from './chromium.mjs';
import { repoDir, webDir } from './helpers.mjs';

const skip = browserMissing('the ImageBitmap quantizeModel test') || false;

const PAGE = `<!doctype html><meta charset="utf-8"><title>qlite</title>
<script type="module">
import { loadQlite } from '/pkg/src/index.js';
async function run() {
  const qlite = await loadQlite();
  const bytes = new Uint8Array(await (await fetch('/repo-models/tutorial_float.tflite')).arrayBuffer());
  // Three 40x30 opaque RGBA pictures (resized to the model's 28x28 gray input).
  const pictures = [0, 1, 2].map((n) => {
    const image = new ImageData(40, 30);
    for (let p = 0; p < 40 * 30; ++p) {
      image.data.set([(p * 7 + n * 50) % 256, (p * 3) % 256, (p + n * 90) % 256, 255], 4 * p);
    }
    return image;
  });
  const bitmaps = await Promise.all(pictures.map((image) => createImageBitmap(image)));
  const elements = await Promise.all(pictures.map(async (image) => {
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d').putImageData(image, 0, 0);
    const img = new Image();
    img.src = canvas.toDataURL('image/png');
    await img.decode();
    return img;
  }));
  const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');
  const quantized = async (representative) =>
    hex(await qlite.quantizeModel(bytes, { mode: 'int8', representative }));
  const fromImageData = await quantized(pictures);
  const fromBitmaps = await quantized(bitmaps);
  const fromElements = await quantized(elements);
  const mixed = await quantized([pictures[0], bitmaps[1], elements[2]]);
  let unloaded = '';
  try {
    await qlite.quantizeModel(bytes, { mode: 'int8', representative: [new Image()] });
  } catch (e) {
    unloaded = (e instanceof TypeError) + ' ' + e.message;
  }
  return { fromImageData, fromBitmaps, fromElements, mixed, unloaded,
    bitmapSize: [bitmaps[0].width, bitmaps[0].height] };
}
window.result = run().catch((e) => ({ failed: String(e && e.stack || e) }));
</script>`;

let server;
let browser;
before(async () => {
  if (skip) return;
  server = await startServer({
    pages: { '/': [PAGE, '.html'] },
    roots: { '/pkg/': webDir, '/repo-models/': join(repoDir, 'models') },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('ImageBitmap and <img> samples calibrate as their ImageData', { skip, timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  const logs = [];
  page.on('pageerror', (e) => logs.push(String(e)));
  await page.goto(`${server.origin}/`);
  const r = await page.evaluate(() => window.result);
  await page.close();
  assert.ok(!r.failed, `${r.failed}\n${logs.join('\n')}`);
  assert.deepEqual(r.bitmapSize, [40, 30]);
  assert.ok(r.fromImageData.length > 1000);
  assert.equal(r.fromBitmaps, r.fromImageData, 'ImageBitmap samples');
  assert.equal(r.fromElements, r.fromImageData, '<img> samples');
  assert.equal(r.mixed, r.fromImageData, 'a mix of the three');
  assert.match(r.unloaded, /^true qlite.quantizeModel: an <img> without pixels \(not loaded yet/);
});
