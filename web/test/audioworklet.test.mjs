// qlite inside an AudioWorkletProcessor (no fetch or importScripts there):
// the page passes the wasm and model bytes in processorOptions, an
// OfflineAudioContext renders a seeded signal through the processor, which
// runs a model of models/ on the last 784 samples at every 128-sample render
// quantum and posts the scores. The page runs the same windows through the
// package on its own thread: the scores must be the same floats.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { browserMissing, launchChromium, startServer } from './chromium.mjs';
import { repoDir, webDir } from './helpers.mjs';

const skip = browserMissing('the AudioWorklet test') || false;
const QUANTA = 24;

// What a user's processor module holds (bytes in, scores out through the port).
const PROCESSOR = `
import { loadQlite } from '/pkg/src/index.js';

const WINDOW = 784;

class QliteProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: { wasmBinary, opsWasmBinary, model } }) {
    super();
    this.samples = new Float32Array(WINDOW);
    this.quantum = 0;
    loadQlite({ wasmBinary, opsWasmBinary }).then((qlite) => {
      this.model = qlite.loadModel(new Uint8Array(model));
      this.port.postMessage({ ready: qlite.wasmBuild });
    }, (error) => this.port.postMessage({ error: String(error) }));
  }

  process([input], [output]) {
    const frame = input[0] ?? new Float32Array(128);
    output[0].set(frame);
    if (!this.model) return true; // not loaded yet: pass the audio through
    this.samples.copyWithin(0, frame.length);
    this.samples.set(frame, WINDOW - frame.length);
    const [scores] = this.model.run([this.samples]);
    this.port.postMessage({ quantum: this.quantum++, frame: frame.slice(), scores });
    return true;
  }
}
registerProcessor('qlite-processor', QliteProcessor);
`;

const PAGE = `<!doctype html><script type="module">
import { loadQlite } from '/pkg/src/index.js';
const bytes = async (url) => (await fetch(url)).arrayBuffer();

window.run = async (quanta) => {
  const sampleRate = 16000;
  const context = new OfflineAudioContext(1, quanta * 128, sampleRate);
  await context.audioWorklet.addModule('/processor.js');
  const [wasmBinary, opsWasmBinary, model] = await Promise.all(
    ['/pkg/dist/qlite.wasm', '/pkg/dist/qlite-ops.wasm', '/model.tflite'].map(bytes));
  const node = new AudioWorkletNode(context, 'qlite-processor',
    { processorOptions: { wasmBinary, opsWasmBinary, model } });
  const posts = [];
  let allPosted;
  const done = new Promise((resolve) => { allPosted = resolve; });
  const ready = new Promise((resolve, reject) => {
    node.port.onmessage = ({ data }) => {
      if (data.error) reject(new Error(data.error));
      else if (data.ready) resolve(data.ready);
      else if (posts.push(data) === quanta) allPosted();
    };
  });
  const workletBuild = await ready;

  let seed = 7; // the signal: seeded noise in [-1, 1)
  const signal = context.createBuffer(1, quanta * 128, sampleRate);
  signal.getChannelData(0).forEach((_, i, a) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    a[i] = (seed >>> 8) / 8388608 - 1;
  });
  const source = new AudioBufferSourceNode(context, { buffer: signal });
  source.connect(node).connect(context.destination);
  source.start();
  const rendered = await context.startRendering();
  await done;

  // The same windows on the page's thread (its qlite: qlite.relaxed.wasm where it validates).
  const qlite = await loadQlite();
  const mainModel = qlite.loadModel(new Uint8Array(model));
  const window_ = new Float32Array(784);
  const input = signal.getChannelData(0);
  let framesMatch = true;
  let scoresMatch = true;
  posts.forEach(({ quantum, frame, scores }, i) => {
    const expected = input.subarray(quantum * 128, quantum * 128 + 128);
    framesMatch &&= quantum === i && frame.every((v, k) => v === expected[k]);
    window_.copyWithin(0, 128);
    window_.set(expected, 784 - 128);
    const [y] = mainModel.run([window_]);
    scoresMatch &&= y.length === scores.length && y.every((v, k) => Object.is(v, scores[k]));
  });
  return {
    workletBuild, pageBuild: qlite.wasmBuild, posts: posts.length, framesMatch, scoresMatch,
    scores: Array.from(posts.at(-1).scores),
    passedThrough: rendered.getChannelData(0).every((v, i) => v === input[i]),
  };
};
window.ready = true;
</script>`;

let browser;
let server;
after(async () => {
  await browser?.close();
  await server?.close();
});

test('a model runs in an AudioWorkletProcessor, frame by frame, as on the main thread',
  { skip, timeout: 60_000 }, async () => {
    server = await startServer({
      pages: {
        '/': [PAGE, '.html'],
        '/processor.js': [PROCESSOR, '.js'],
        '/model.tflite': [readFileSync(join(repoDir, 'models', 'lenet5_int8.tflite')), '.tflite'],
      },
      roots: { '/pkg/': webDir },
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(server.origin);
    await page.waitForFunction(() => window.ready);
    const result = await page.evaluate((quanta) => window.run(quanta), QUANTA);
    assert.deepEqual(errors, []);
    assert.equal(result.workletBuild, 'simd128', 'the worklet was given qlite.wasm\'s bytes');
    assert.equal(result.posts, QUANTA, 'one run per render quantum');
    assert.ok(result.framesMatch, 'the processor saw the signal\'s samples in order');
    assert.ok(result.scoresMatch, 'each quantum\'s scores equal the main thread\'s');
    assert.equal(result.scores.length, 10);
    assert.ok(result.scores.every(Number.isFinite) && new Set(result.scores).size > 1,
      `the scores are a real output: ${result.scores}`);
    assert.ok(result.passedThrough, 'the processor passed the audio through');
  });
