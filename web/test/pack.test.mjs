// `npm pack` gives a tarball that installs offline in a fresh directory and
// runs a model there through `import { loadQlite } from 'qlite'`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { modelsDir, repoDir, sharedModelsSkip, webDir } from './helpers.mjs';

const work = mkdtempSync(join(tmpdir(), 'qlite-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'],
  { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('npm pack -> npm install in a fresh directory -> import and run', async () => {
  // publish.test.mjs checks the tarball's file list and fields.
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], webDir));

  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', '--offline', join(work, packed.filename)], app);
  assert.ok(readdirSync(join(app, 'node_modules', 'qlite', 'dist')).includes('qlite.wasm'));

  const skip = sharedModelsSkip();
  const model = skip ? '' : join(modelsDir, 'hello_world_float.tflite');
  writeFileSync(join(app, 'main.js'), `
    import { readFileSync } from 'node:fs';
    import { loadQlite } from 'qlite';
    const qlite = await loadQlite();
    try { qlite.loadModel(new Uint8Array(8)); } catch (e) { console.log('error:', e.message); }
    if (${JSON.stringify(model)}) {
      const model = qlite.loadModel(readFileSync(${JSON.stringify(model)}));
      const [y] = model.run([new Float32Array([1.5])]);
      console.log('output:', y.constructor.name, y.length, Number.isFinite(y[0]));
      model.dispose();
    }
  `);
  const out = execFileSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' });
  assert.match(out, /^error: qlite: /m);
  if (model) assert.match(out, /^output: Float32Array 1 true$/m);

  // The package's CLI, as `npx qlite` runs it from the installed package.
  const cli = (args) => execFileSync('npx', ['--offline', 'qlite', ...args],
    { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(cli(['--help']), /^usage: qlite <command>/);
  if (model) assert.match(cli(['inspect', model]), /^kernels: simd$/m);

  // A TypeScript consumer of the tarball gets src/index.d.ts (an untyped
  // import fails under --strict, and the misuse would compile were it `any`).
  writeFileSync(join(app, 'main.ts'), `
    import { loadQlite, type Model, type TensorData } from 'qlite';
    import qliteWasm from 'qlite/esbuild-plugin';
    const plugin: { name: string } = qliteWasm();
    const qlite = await loadQlite({ relaxedSimd: false });
    const model: Model = qlite.loadModel(new Uint8Array(8), { kernels: 'reference' });
    const outputs: TensorData[] = model.run([new Float32Array(1)]);
    // @ts-expect-error: not a kernel set
    qlite.loadModel(new Uint8Array(8), { kernels: 'fast' });
    export { outputs, plugin };
  `);
  const tsc = join(repoDir, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module',
      'nodenext', '--moduleResolution', 'nodenext', '--types', '', 'main.ts'],
    { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    assert.fail(`tsc over the installed package failed:\n${error.stdout}${error.stderr}`);
  }
});
