// The web demo (build/gui-web/web/demo, `scripts/build.sh gui-web`) in Debian's
// Chromium with WebGL2 (SwiftShader), driven by playwright-core: a "1" and a
// "7" drawn with mouse drags on the ImGui canvas must be classified as 1 and 7
// by both models, after under 1 MB on the wire (MNIST and the other models
// follow on first use). Screenshots go to build/test-artifacts/.
// Run: node --test tests/gui/   (QLITE_DEMO_DIR overrides the site directory)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WEBGL_ARGS, browserMissing, launchChromium, startServer } from '../../web/test/chromium.mjs';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const demoDir = process.env.QLITE_DEMO_DIR || join(repoDir, 'build', 'gui-web', 'web', 'demo');
const artifactsDir = join(repoDir, 'build', 'test-artifacts');
const skip = browserMissing('the web demo test', [
  [existsSync(join(demoDir, 'qlite-demo.wasm')),
    `the web demo is not built in ${demoDir} (scripts/build.sh gui-web)`],
]) || false;

let browser; // playwright gives it a fresh temporary profile and removes it on close
let server;
let url;

before(async () => {
  if (skip) return;
  const { serveStatic } = await import(join(repoDir, 'web', 'demo', 'serve.mjs'));
  ({ server, url } = await serveStatic(demoDir, 0));
  browser = await launchChromium(WEBGL_ARGS);
});

after(async () => {
  await browser?.close();
  server?.close();
});

// Polls window.qliteDemo.state() until `ready(state)` holds; fails with the last state.
async function waitForState(page, ready, what, timeout) {
  const deadline = Date.now() + timeout;
  let state = null;
  while (Date.now() < deadline) {
    state = await page.evaluate(() => (window.qliteDemo ? window.qliteDemo.state() : null));
    if (state && ready(state)) return state;
    await page.waitForTimeout(100);
  }
  assert.fail(`timed out waiting for ${what}; last state: ${JSON.stringify(state)}`);
}

// Waits until the page has rendered a frame: ImGui samples the mouse once per
// frame, so each scripted position must last one frame, as a hand's would.
const nextFrame = (page) => page.evaluate(() => new Promise((resolve) => {
  requestAnimationFrame(() => requestAnimationFrame(resolve));
}));

// Drags the mouse along test_strokes.h's polylines for `digit`, scaled to the canvas.
async function drawDigit(page, digit, canvas) {
  const strokes = await page.evaluate(([d, size]) => window.qliteDemo.testStrokes(d, size),
    [digit, canvas.w]);
  assert.ok(strokes.length > 0, `test_strokes.h has strokes for "${digit}"`);
  for (const stroke of strokes) {
    const [x0, y0] = stroke[0];
    await page.mouse.move(canvas.x + x0, canvas.y + y0);
    await nextFrame(page);
    await page.mouse.down();
    await nextFrame(page);
    for (const [x, y] of stroke.slice(1)) {
      await page.mouse.move(canvas.x + x, canvas.y + y);
      await nextFrame(page);
    }
    await page.mouse.up();
    await nextFrame(page);
  }
  return strokes.length;
}

// Sums the encoded (on-the-wire) body sizes of finished requests.
async function transferredBytes(requests) {
  let total = 0;
  const files = [];
  for (const r of requests) {
    const { responseBodySize } = await r.sizes();
    total += responseBodySize;
    files.push(`${new URL(r.url()).pathname.split('/').pop() || '/'} ${responseBodySize}`);
  }
  return { total, files };
}

test('web demo: a drawn "1" and "7" are recognized by both models', { skip, timeout: 300_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const requests = [];
    page.on('requestfinished', (r) => requests.push(r));
    await page.goto(url);

    const webgl2 = await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
    assert.ok(webgl2, 'Chromium offers WebGL2 (SwiftShader)');
    const idle = (s) => s.busy === '' && s.canvas && s.canvas.w > 0;
    const loaded = await waitForState(page, idle, 'the demo to load its models', 180_000);
    assert.ok(loaded.float.model && loaded.quant.model, 'a float and a quantized model are loaded');
    // Drawing needs only the app and the initial model pair: the bytes on the
    // wire before the first interaction (gzip-served, as static hosts do).
    const firstBytes = await transferredBytes(requests);
    console.log(`web demo: ${firstBytes.total} bytes transferred before the first interaction: ` +
      firstBytes.files.join(', '));
    assert.ok(firstBytes.total < 1_000_000, `under 1 MB before the first interaction: ${firstBytes.total}`);
    assert.ok(!requests.some((r) => /qlite-demo-assets/.test(r.url())),
      'MNIST and the other models are not downloaded before they are needed');
    assert.equal(loaded.mnist, false, 'MNIST is not loaded yet');

    mkdirSync(artifactsDir, { recursive: true });
    for (const digit of [1, 7]) {
      await page.evaluate(() => window.qliteDemo.clear());
      await waitForState(page, (s) => idle(s) && s.strokes === 0, 'the cleared canvas', 30_000);
      const { canvas } = await page.evaluate(() => window.qliteDemo.state());
      const strokes = await drawDigit(page, digit, canvas);
      // Every drag became a stroke in the app, and the models ran on the drawing.
      const state = await waitForState(page,
        (s) => idle(s) && s.strokes === strokes && typeof s.float.top1 === 'number', `"${digit}" classified`, 60_000);
      await page.screenshot({ path: join(artifactsDir, `demo-${digit}.png`) });
      const detail = `float ${JSON.stringify(state.float)}, quant ${JSON.stringify(state.quant)}`;
      assert.equal(state.float.top1, digit, `float model on a drawn "${digit}": ${detail}`);
      assert.equal(state.quant.top1, digit, `quantized model on a drawn "${digit}": ${detail}`);
    }
    // A user's float model through the page's file path (the file input and
    // drag-and-drop both end in qliteDemo.loadModel): the app quantizes it in
    // place, calibrating on the preloaded MNIST train subset.
    const userModel = [...readFileSync(join(repoDir, 'models', 'lenet5_float.tflite'))];
    const loadError = await page.evaluate((data) => window.qliteDemo.loadModel(
      new File([new Uint8Array(data)], 'user_lenet5_float.tflite')), userModel);
    assert.equal(loadError, '', 'the page loads a user\'s .tflite');
    const requantized = await waitForState(page,
      (s) => idle(s) && /user_lenet5_float/.test(s.float.model) && s.quant.model !== loaded.quant.model
        && s.quant.top1 !== null,
      'the user\'s float model to be quantized in the page', 180_000);
    const detail = `float ${JSON.stringify(requantized.float)}, quant ${JSON.stringify(requantized.quant)}`;
    assert.equal(requantized.mnist, true, 'calibration fetched the MNIST package on first use');
    assert.equal(requantized.float.top1, 7, `user's float model on the drawn "7": ${detail}`);
    assert.equal(requantized.quant.top1, 7, `its in-page quantized twin on the drawn "7": ${detail}`);
    await page.screenshot({ path: join(artifactsDir, 'demo.png') });

    // A model that is not a digit classifier, through the page's real file
    // input: a face-detection-style block (PRELU, RESIZE, a box map out)
    // written by qlite's op-model generator. It must load and run once.
    const generator = join(repoDir, 'build', 'native', 'tests', 'qlite_op_models');
    if (existsSync(generator)) {
      const modelsDir = mkdtempSync(join(tmpdir(), 'qlite-demo-models-'));
      try {
        execFileSync(generator, [modelsDir]);
        const face = 'face_detection_style_int8.tflite';
        await page.setInputFiles('#file', join(modelsDir, face));
        const probed = await waitForState(page, (s) => s.other?.model === face,
          'the face-detection-style model to load', 60_000);
        assert.deepEqual(probed.other.inputs.map((t) => t.split(' ').slice(0, 2).join(' ')),
          ['int8 [1,16,16,3]']);
        assert.ok(probed.other.us > 0, `one run was timed: ${JSON.stringify(probed.other)}`);
        assert.match(probed.message, /not a digit classifier/);
        assert.equal(probed.float.model, requantized.float.model, 'the comparison is unchanged');
        assert.equal(await page.textContent('#status'), `loaded ${face}`);
      } finally {
        rmSync(modelsDir, { recursive: true, force: true });
      }
    } else if (process.env.CI === 'true') {
      assert.fail(`${generator} is missing, and CI=true requires the model-file test`);
    }

    // Pictures of digits through the same file input calibrate the next
    // quantization instead of MNIST: three BMPs of a dark "7" on paper, then
    // the user's float model again, quantized on exactly those three.
    const picturesDir = mkdtempSync(join(tmpdir(), 'qlite-demo-pictures-'));
    try {
      const pictures = [0, 1, 2].map((i) => {
        const path = join(picturesDir, `seven${i}.bmp`);
        writeFileSync(path, sevenOnPaperBmp(64 + 8 * i));
        return path;
      });
      await page.setInputFiles('#file', pictures);
      await waitForState(page, (s) => s.calibration_pictures === 3, 'three calibration pictures', 30_000);
      const again = await page.evaluate((data) => window.qliteDemo.loadModel(
        new File([new Uint8Array(data)], 'user_lenet5_again.tflite')), userModel);
      assert.equal(again, '');
      const calibrated = await waitForState(page,
        (s) => idle(s) && /user_lenet5_again/.test(s.quant.model) && s.quant.top1 !== null,
        'the float model quantized on the dropped pictures', 180_000);
      assert.equal(calibrated.quantize.samples, 3, 'calibrated on the three pictures');
      console.log(`web demo: quantized on 3 dropped pictures, the drawn "7" -> ${calibrated.quant.top1}`);
    } finally {
      rmSync(picturesDir, { recursive: true, force: true });
    }
    assert.deepEqual(errors, [], 'no page errors');
    await page.close();
  });

// A 24-bit BMP (what every browser decodes, written without a library): a
// dark "7" on light paper, `side` pixels square.
function sevenOnPaperBmp(side) {
  const row = Math.ceil((side * 3) / 4) * 4;
  const bmp = Buffer.alloc(54 + row * side, 0);
  bmp.write('BM', 0);
  bmp.writeUInt32LE(bmp.length, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(side, 18);
  bmp.writeInt32LE(-side, 22);  // top-down rows
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  bmp.writeUInt32LE(row * side, 34);
  const thick = Math.floor(side / 16) + 1;
  const ink = (x, y) => (y >= side / 5 && y < side / 5 + thick && x >= side / 4 && x < (3 * side) / 4)
    || (y >= side / 5 && y < (4 * side) / 5 && (() => {
      const x0 = Math.floor((3 * side) / 4 - ((y - side / 5) * (side / 3)) / ((3 * side) / 5));
      return x >= x0 && x < x0 + thick;
    })());
  for (let y = 0; y < side; ++y) {
    for (let x = 0; x < side; ++x) bmp.fill(ink(x, y) ? 20 : 235, 54 + y * row + 3 * x, 54 + y * row + 3 * x + 3);
  }
  return bmp;
}

// Not a timed test: prints how long a visitor on a slow network waits for the
// first prediction (150 ms round trips, 1.6 Mbit/s down), for
// docs/benchmarks.md. It fails only if the demo never gets there.
test('web demo: time to the first prediction on a throttled network', { skip, timeout: 300_000 },
  async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8,
    });
    const start = Date.now();
    await page.goto(url);
    const idle = (s) => s.busy === '' && s.canvas && s.canvas.w > 0 && s.float.model;
    await waitForState(page, idle, 'the demo to load on a throttled network', 240_000);
    const ready = Date.now() - start;
    const { canvas } = await page.evaluate(() => window.qliteDemo.state());
    const strokes = await drawDigit(page, 1, canvas);
    const state = await waitForState(page,
      (s) => s.strokes === strokes && typeof s.float.top1 === 'number', 'the first prediction', 60_000);
    console.log(`web demo, 150 ms RTT, 1.6 Mbit/s: ready to draw after ${ready} ms; ` +
      `a drawn "1" predicted as ${state.float.top1}/${state.quant.top1} after ${Date.now() - start} ms ` +
      `(drawing included)`);
    await page.close();
  });

// The site as a project page serves it: below a prefix, from a plain static
// server (no special headers, no server-side index: /qlite/ is the page).
// Every request must stay below the prefix and succeed, and a drawn "7" be
// classified.
test('web demo under /qlite/ on a plain static server: a drawn "7" is recognized',
  { skip, timeout: 300_000 }, async () => {
    const sub = await startServer({
      pages: { '/qlite/': [readFileSync(join(demoDir, 'index.html')), '.html'] },
      roots: { '/qlite/': demoDir },
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    const responses = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('response', (r) => responses.push([r.status(), new URL(r.url()).pathname]));
    try {
      await page.goto(`${sub.origin}/qlite/`);
      const idle = (s) => s.busy === '' && s.canvas && s.canvas.w > 0;
      await waitForState(page, idle, 'the demo to load its models under /qlite/', 180_000);
      const bad = responses.filter(([status, path]) => status !== 200 || !path.startsWith('/qlite/'));
      assert.deepEqual(bad, [], 'every request stays below /qlite/ and succeeds');

      const { canvas } = await page.evaluate(() => window.qliteDemo.state());
      const strokes = await drawDigit(page, 7, canvas);
      const state = await waitForState(page,
        (s) => idle(s) && s.strokes === strokes && typeof s.float.top1 === 'number',
        '"7" classified under /qlite/', 60_000);
      const detail = `float ${JSON.stringify(state.float)}, quant ${JSON.stringify(state.quant)}`;
      assert.equal(state.float.top1, 7, `float model: ${detail}`);
      assert.equal(state.quant.top1, 7, `quantized model: ${detail}`);
      assert.deepEqual(errors, [], 'no page errors');
    } finally {
      await page.close();
      await sub.close();
    }
  });
