// What `npm publish` would upload, from `npm pack --dry-run --json`: the file
// list, and the package.json fields a consumer and the registry read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { webDir } from './helpers.mjs';

const FILES = ['CHANGELOG.md', 'LICENSE', 'README.md', 'bin/qlite.mjs', 'bin/tensor-files.mjs',
  'dist/qlite-ops.wasm', 'dist/qlite-quantize.wasm', 'dist/qlite-threads.js',
  'dist/qlite-threads.relaxed.wasm', 'dist/qlite-threads.wasm', 'dist/qlite-threads.worker.js',
  'dist/qlite.js', 'dist/qlite.relaxed.wasm', 'dist/qlite.wasm', 'package.json',
  'src/esbuild-plugin.d.ts', 'src/esbuild-plugin.js', 'src/index.d.ts', 'src/index.js',
  'src/node-pthread-worker.js', 'src/node-threads.js', 'src/quantize-options.js', 'src/quantizer-methods.js', 'src/representative.js',
  'src/shared-memory-import.js'];

// Every file path an `exports` entry names, through its conditions.
function exportTargets(entry) {
  if (typeof entry === 'string') return [entry];
  return Object.values(entry).flatMap(exportTargets);
}

test('npm pack --dry-run: the files and fields of the published package', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'],
    { cwd: webDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, FILES);

  const pkg = JSON.parse(readFileSync(join(webDir, 'package.json'), 'utf8'));
  assert.equal(packed.name, 'qlite');
  assert.equal(pkg.private, undefined, 'publishable');
  assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
  const changelog = readFileSync(join(webDir, 'CHANGELOG.md'), 'utf8');
  assert.equal(changelog.match(/^## (\S+)/m)?.[1], pkg.version, 'CHANGELOG.md starts with this version');
  assert.equal(pkg.license, 'Apache-2.0');
  assert.match(readFileSync(join(webDir, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  assert.match(pkg.engines?.node ?? '', /^>=\d+$/);
  assert.equal(pkg.type, 'module');
  assert.ok(pkg.description.length > 20);

  // Every path the manifest points at is in the tarball; each JS entry has its types first.
  const inFiles = (path) => files.includes(path.replace(/^\.\//, ''));
  for (const [key, entry] of Object.entries(pkg.exports)) {
    for (const target of exportTargets(entry)) assert.ok(inFiles(target), `exports['${key}']: ${target}`);
    if (typeof entry === 'object') {
      assert.equal(Object.keys(entry)[0], 'types', `exports['${key}'] gives its types first`);
    }
  }
  for (const path of [pkg.main, pkg.types, ...Object.values(pkg.bin)]) assert.ok(inFiles(path), path);

  // No registry named in what is published (its host comes from the user's npm config).
  assert.equal(pkg.publishConfig, undefined);
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md']) {
    assert.doesNotMatch(readFileSync(join(webDir, file), 'utf8'), /https?:\/\/[^\s/]*registry/i, file);
  }
});
