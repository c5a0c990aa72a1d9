// The TypeScript declarations (src/index.d.ts): examples/typescript's example,
// which makes every public call with every option, compiles under
// `tsc --strict`, and every deliberate misuse in its misuse.ts fails to
// compile (an unused @ts-expect-error is an error), so declarations that are
// too loose fail here too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const webDir = join(fileURLToPath(import.meta.url), '..', '..');
const repoDir = join(webDir, '..');
const tsc = join(repoDir, 'node_modules', 'typescript', 'bin', 'tsc');
const project = join(repoDir, 'examples', 'typescript');

test('tsc --strict --noEmit: the typed example compiles, every misuse does not', () => {
  assert.ok(existsSync(tsc), `${tsc} is missing: run npm ci in ${repoDir} (scripts/setup.sh does)`);
  try {
    execFileSync(process.execPath, [tsc, '--strict', '--noEmit', '-p', project],
      { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    assert.fail(`tsc failed (exit ${error.status}):\n${error.stdout}${error.stderr}`);
  }
  const misuse = readFileSync(join(project, 'misuse.ts'), 'utf8');
  assert.ok((misuse.match(/@ts-expect-error/g) ?? []).length >= 20, 'misuse.ts lost its cases');
});

test('the declarations name no `any` and the package points at them', () => {
  const declarations = readFileSync(join(webDir, 'src', 'index.d.ts'), 'utf8');
  const code = declarations.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  assert.doesNotMatch(code, /\bany\b/);
  const pkg = JSON.parse(readFileSync(join(webDir, 'package.json'), 'utf8'));
  assert.equal(pkg.types, './src/index.d.ts');
  assert.equal(pkg.exports['.'].types, pkg.types);
  assert.equal(Object.keys(pkg.exports['.'])[0], 'types', '"types" must be the first condition');
  assert.ok(pkg.files.includes('src/index.d.ts'));
});
