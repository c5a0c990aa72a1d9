// Node-by-node comparison of qlite and LiteRT.js on any model a user has:
// `qlite cut --all` writes every node as a one-node model (same tensors,
// weights and quantization; the shapes qlite prepared), and each runs through
// qlite (reference and SIMD kernels) and LiteRT.js in one Chromium page on
// the same seeded inputs. Prints one row per node: how many output values are
// identical, the largest difference, and what LiteRT.js refused. With
// --arithmetic xnnpack qlite requantizes as XNNPACK does (loadModel option).
//
//   node tests/bench/compare_nodes.mjs MODEL.tflite [--seeds 1,2,3] [--qlite build/native/qlite]
//                                      [--arithmetic tflite|xnnpack]
//
// Needs the native CLI and the wasm build (bash scripts/build.sh native wasm),
// @litertjs/core and Chromium, as the cross-runtime tests do.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function parseArgs(argv) {
  const o = { model: '', seeds: [1, 2, 3], qlite: join(repoDir, 'build', 'native', 'qlite'),
    arithmetic: 'tflite' };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--seeds') o.seeds = value().split(',').map(Number);
    else if (a === '--arithmetic') o.arithmetic = value();
    else if (a === '--qlite') o.qlite = resolve(value());
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else if (o.model) throw new Error('one model at a time');
    else o.model = resolve(a);
  }
  if (!o.help && !o.model) throw new Error('no model given (--help for usage)');
  if (!o.seeds.every(Number.isInteger)) throw new Error('--seeds takes integers: 1,2,3');
  if (!['tflite', 'xnnpack'].includes(o.arithmetic)) {
    throw new Error(`--arithmetic takes tflite or xnnpack, got '${o.arithmetic}'`);
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n\n')[0]);
    return;
  }
  if (!existsSync(o.qlite)) throw new Error(`${o.qlite} is missing (bash scripts/build.sh native)`);
  const dir = mkdtempSync(join(tmpdir(), 'qlite-nodes-'));
  const harness = await import('../../web/test/litert-harness.mjs');
  const { COMPARE_PAGE_SCRIPT } = await import('../../web/test/compare-page.mjs');
  let server;
  let browser;
  try {
    execFileSync(o.qlite, ['cut', o.model, '--all', '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const files = readdirSync(dir).filter((f) => f.endsWith('.tflite')).sort();
    const pages = { '/': [harness.pageHtml(COMPARE_PAGE_SCRIPT), '.html'] };
    for (const f of files) pages[`/nodes/${f}`] = [readFileSync(join(dir, f)), '.tflite'];
    server = await harness.startServer({ pages });
    browser = await harness.launchChromium();
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => window.ready === true);
    console.log(`${o.model}: ${files.length} nodes, seeds ${o.seeds.join(',')}, ` +
      `'${o.arithmetic}' arithmetic`);
    console.log('node  op                        dtype     identical        max |diff|  max rel diff');
    let differing = 0;
    for (const f of files) {
      const [, node, op] = f.match(/^node(\d+)_(.+)\.tflite$/);
      const r = await page.evaluate(([u, s, a]) => window.compare(u, s, 1, a),
        [`/nodes/${f}`, o.seeds, o.arithmetic]);
      const label = `${node.padStart(4)}  ${op.padEnd(25)}`;
      if (r.loadError || r.lengthError) {
        console.log(`${label} ${r.loadError ? 'LiteRT.js cannot load it: ' + r.loadError : r.lengthError}`);
        ++differing;
        continue;
      }
      if (r.equal !== r.values) ++differing;
      const simd = r.simdEqual ? '' : '  (qlite simd != reference!)';
      console.log(`${label} ${r.dtype.padEnd(9)} ${`${r.equal}/${r.values}`.padEnd(16)} ` +
        `${String(r.maxAbs).padEnd(11)} ${r.maxRel.toPrecision(3)}${simd}`);
    }
    console.log(`${files.length - differing} of ${files.length} nodes identical to LiteRT.js`);
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`compare_nodes: ${e.message}`);
  process.exit(1);
});
