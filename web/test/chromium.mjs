// Debian's Chromium driven by playwright-core (never a browser download), and a
// static server on 127.0.0.1: what every browser test and benchmark shares
// (web/test/browser.test.mjs, web/test/litert-harness.mjs,
// tests/gui/web_demo.test.mjs, tests/bench/browser_bench.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { MIME } from '../demo/serve.mjs';

export { MIME };
export const CHROMIUM = '/usr/bin/chromium';
// Headless, no network side channels; a fresh temporary profile per launch.
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// WebGL2 without a GPU (the digit demo).
export const WEBGL_ARGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

let playwright = null;
try {
  playwright = await import('playwright-core');
} catch {
  // reported by browserMissing()
}

// Why the browser tests of `what` cannot run here ('' when they can): no
// playwright-core, no Chromium, or the first failing [ok, reason] of `checks`.
// Throws instead when CI=true: CI must run them.
export function browserMissing(what, checks = []) {
  let missing = !playwright ? 'playwright-core is not installed (npm ci at the repository root)'
    : !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install chromium)` : '';
  for (const [ok, reason] of checks) {
    if (!missing && !ok) missing = reason;
  }
  if (missing && process.env.CI === 'true') {
    throw new Error(`${missing}, and CI=true requires ${what}`);
  }
  return missing;
}

export function launchChromium(extraArgs = []) {
  return playwright.chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

// Serves `pages` ({path: [body, extension] or () => that}) and files below
// `roots` ({'/prefix/': directory}, nothing above them), with `headers` added
// to every response. Resolves to { origin, close() }.
export async function startServer({ pages = {}, roots = {}, headers = {} } = {}) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const send = (status, body, type) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      response.end(body);
    };
    if (path === '/favicon.ico') return send(204, '', 'image/x-icon');
    let page = pages[path];
    if (typeof page === 'function') page = page();
    if (page) return send(200, page[0], MIME[page[1]] ?? 'application/octet-stream');
    const prefix = Object.keys(roots).find((p) => path.startsWith(p));
    if (prefix) {
      const root = roots[prefix];
      const file = normalize(join(root, path.slice(prefix.length)));
      if (file.startsWith(root + sep) && existsSync(file)) {
        return send(200, readFileSync(file), MIME[extname(file)] ?? 'application/octet-stream');
      }
    }
    return send(404, 'not found', 'text/plain');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
