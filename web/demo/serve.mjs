// A static file server for the web demo (or any directory) on 127.0.0.1.
// Usage: node serve.mjs [dir] [port]   (port 0 = any free port)
// Also imported by the Playwright test: serveStatic(dir, port) -> { server, url }.
// Text and wasm go out gzip-compressed to clients that accept it, as static
// hosts send them; .data and .gz files as they are.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.data': 'application/octet-stream',
  '.gz': 'application/gzip',
  '.tflite': 'application/octet-stream',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
};

const COMPRESSED = new Set(['.html', '.js', '.mjs', '.json', '.wasm', '.css']);
const gzipCache = new Map();  // path -> { mtimeMs, bytes }

function gzipped(file, stat) {
  const hit = gzipCache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs) return hit.bytes;
  const bytes = gzipSync(readFileSync(file), { level: 9 });
  gzipCache.set(file, { mtimeMs: stat.mtimeMs, bytes });
  return bytes;
}

export function serveStatic(dir, port = 0) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const stat = statSync(file);
      const headers = {
        'Content-Type': MIME[extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-cache',
        'Vary': 'Accept-Encoding',
      };
      if (COMPRESSED.has(extname(file)) && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
        const body = gzipped(file, stat);
        res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': body.length });
        res.end(body);
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Length': stat.size });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}`);
    }
  });
  return new Promise((resolveServer) => {
    server.listen(port, '127.0.0.1', () => {
      resolveServer({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] || '.';
  const port = Number(process.argv[3] || 8080);
  const { url } = await serveStatic(dir, port);
  console.log(`serving ${resolve(dir)} at ${url} (Ctrl-C stops)`);
}
