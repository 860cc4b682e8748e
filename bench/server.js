// server.js — a tiny static server for the browser benchmark: /web/… from web/ and /bench/…
// from bench/ (never bench/data/), on 127.0.0.1 and a free port, with the page's own
// Content-Security-Policy so the engine runs under the same rules as on the real page.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as webServe from '../web/serve.js';

const ROOT = resolve(fileURLToPath(new URL('../', import.meta.url)));
const SERVED = ['web', 'bench'].map((dir) => join(ROOT, dir));
const HIDDEN = join(ROOT, 'bench', 'data');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
};

const CSP = webServe.CSP ?? "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";

function inside(dir, file) {
  return file === dir || file.startsWith(dir + sep);
}

// URL path → file under web/ or bench/, or null.
function fileFor(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(new URL(urlPath, 'http://localhost').pathname);
  } catch {
    return null;
  }
  const file = resolve(join(ROOT, decoded));
  if (decoded.includes('\0') || inside(HIDDEN, file)) return null;
  return SERVED.some((dir) => inside(dir, file)) ? file : null;
}

async function handle(req, res) {
  let file = fileFor(req.url);
  let info = file ? await stat(file).catch(() => null) : null;
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Content-Security-Policy': CSP,
    'Cache-Control': 'no-cache',
  });
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

export function startBenchServer() {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      ok({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}
