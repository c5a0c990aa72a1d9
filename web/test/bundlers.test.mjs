// examples/classify bundled from the packed tarball (npm pack, installed into a
// fresh directory) by esbuild (with qlite/esbuild-plugin) and by Vite (no
// configuration), served statically and run in Chromium: the .wasm files
// must reach the output directory and load from there, and a drawn and an
// uploaded digit must be classified. esbuild and vite are root
// devDependencies; NODE_PATH may name another node_modules holding them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync }
  from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { browserMissing, launchChromium, startServer } from './chromium.mjs';
import { repoDir, webDir } from './helpers.mjs';

const exampleDir = join(repoDir, 'examples', 'classify');
const nodeModules = [join(repoDir, 'node_modules'),
  ...(process.env.NODE_PATH ?? '').split(':').filter(Boolean)];
const packageDir = (name) => nodeModules.map((d) => join(d, name))
  .find((d) => existsSync(join(d, 'package.json')));
const esbuildDir = packageDir('esbuild');
const viteDir = packageDir('vite');
const skip = browserMissing('the bundler tests', [
  [esbuildDir, 'esbuild is not installed (npm ci at the repository root)'],
  [viteDir, 'vite is not installed (npm ci at the repository root)'],
]) || false;

const work = mkdtempSync(join(tmpdir(), 'qlite-bundlers-'));
const app = join(work, 'app');
let browser;

before(() => {
  if (skip) return;
  const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund',
    '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], webDir));
  mkdirSync(app);
  for (const file of ['index.html', 'main.js', 'mnist.js']) {
    cpSync(join(exampleDir, file), join(app, file));
  }
  writeFileSync(join(app, 'package.json'),
    JSON.stringify({ name: 'classify', private: true, type: 'module' }));
  npm(['install', '--offline', join(work, packed.filename)], app);
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

// What a user's esbuild script holds: the plugin comes from the installed package.
function buildWithEsbuild() {
  const { main } = JSON.parse(readFileSync(join(esbuildDir, 'package.json'), 'utf8'));
  writeFileSync(join(app, 'build-esbuild.mjs'), `
    import * as esbuild from ${JSON.stringify(join(esbuildDir, main))};
    import qliteWasm from 'qlite/esbuild-plugin';
    await esbuild.build({ entryPoints: ['main.js'], bundle: true, format: 'esm', minify: true,
      outdir: 'out-esbuild', plugins: [qliteWasm()], logLevel: 'error' });
  `);
  execFileSync(process.execPath, ['build-esbuild.mjs'], { cwd: app, stdio: 'pipe' });
  // esbuild bundles no HTML: the page goes next to the bundle.
  cpSync(join(app, 'index.html'), join(app, 'out-esbuild', 'index.html'));
  return join(app, 'out-esbuild');
}

function buildWithVite() {
  execFileSync(process.execPath, [join(viteDir, 'bin', 'vite.js'), 'build', '--outDir', 'out-vite',
    '--base', './', '--logLevel', 'error'], { cwd: app, stdio: 'pipe' });
  return join(app, 'out-vite');
}

// Mouse strokes in canvas pixels (280 x 280).
const STROKES = {
  1: [[[140, 40], [140, 140], [140, 240]]],
  7: [[[60, 60], [140, 60], [220, 60], [170, 150], [120, 240]]],
};

async function draw(page, digit) {
  const box = await page.locator('#pad').boundingBox();
  for (const stroke of STROKES[digit]) {
    await page.mouse.move(box.x + stroke[0][0], box.y + stroke[0][1]);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) {
      await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
    }
    await page.mouse.up();
  }
  return Number(await page.textContent('#prediction'));
}

async function runApp(outDir, model) {
  const files = readdirSync(outDir, { recursive: true }).map(String);
  const wasmFiles = files.filter((f) => f.endsWith('.wasm'));
  // qlite.wasm, its relaxed twin, the threaded pair, the op module and the quantizer.
  assert.equal(wasmFiles.length, 6, `the bundle emitted qlite's six .wasm files: ${files}`);
  const server = await startServer({
    pages: { '/model.tflite': [readFileSync(join(repoDir, 'models', model)), '.tflite'] },
    roots: { '/': outDir },
  });
  const page = await browser.newPage();
  const errors = [];
  const fetched = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('response', (r) => fetched.push(`${r.status()} ${new URL(r.url()).pathname}`));
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction(() => window.classifyDemo?.ready, null, { timeout: 30_000 })
      .catch((error) => assert.fail(`${error.message}; page errors: ${errors}`));
    assert.deepEqual(errors, []);
    assert.ok(fetched.some((f) => /^200 \/(assets\/)?qlite(\.relaxed)?-[\w-]+\.wasm$/.test(f)) &&
      fetched.some((f) => /^200 \/(assets\/)?qlite-ops-[\w-]+\.wasm$/.test(f)),
    `qlite.wasm and qlite-ops.wasm came from the bundle: ${fetched}`);
    assert.deepEqual(fetched.filter((f) => !f.startsWith('200 ')), []);

    assert.equal(await draw(page, 7), 7, 'a drawn 7');
    const seven = await page.locator('#pad').screenshot();
    await page.click('#clear');
    assert.equal(await draw(page, 1), 1, 'a drawn 1');
    await page.setInputFiles('#image', { name: 'seven.png', mimeType: 'image/png', buffer: seven });
    await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('seven.png'));
    assert.equal(await page.textContent('#status'), 'seven.png: classified');
    assert.equal(Number(await page.textContent('#prediction')), 7, 'an uploaded 7');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await server.close();
  }
}

test('examples/classify bundled by esbuild and by Vite from the tarball runs in Chromium',
  { skip, timeout: 60_000 }, async () => {
    browser = await launchChromium();
    await runApp(buildWithEsbuild(), 'tutorial_float.tflite');
    await runApp(buildWithVite(), 'tutorial_int8_uint8io.tflite');
  });
