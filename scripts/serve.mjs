#!/usr/bin/env node
/**
 * A small static file server for the demo page and the browser tests: `npm run demo` builds and
 * then serves dist/ (the page is /demo/, the library /browser/) with the two headers that make a
 * page cross-origin isolated, so that fits use several threads:
 *
 *     Cross-Origin-Opener-Policy: same-origin
 *     Cross-Origin-Embedder-Policy: require-corp
 *
 * `--no-isolation` leaves them out (the page then fits on one thread), `--port N` picks the port
 * (default 8080; 0 for any free one), `--root DIR` serves another folder. Any static host works
 * the same way; without the headers the page runs on one thread.
 *
 * `staticServer` is the same server for tests: several roots under URL prefixes, with or without
 * the headers.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** The headers that make a page cross-origin isolated (and so give it SharedArrayBuffer and threads). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * An http.Server serving `mounts` (URL prefix → folder; the longest matching prefix wins), with the
 * isolation headers when `isolated`. A folder's URL serves its index.html. Listens when `listen`
 * is called; nothing outside a mounted folder is ever served.
 */
export function staticServer(mounts, { isolated = true } = {}) {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : `${prefix}/`, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  return createServer((req, res) => {
    const headers = { 'Cache-Control': 'no-store', ...(isolated ? ISOLATION_HEADERS : {}) };
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, headers).end('bad request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const mount = table.find(([prefix]) => `${pathname}/`.startsWith(prefix));
    if (mount === undefined) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    const [prefix, dir] = mount;
    let file = normalize(join(dir, pathname.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403, headers).end('forbidden');
      return;
    }
    try {
      if (statSync(file).isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { ...headers, Location: `${pathname}/` }).end();
          return;
        }
        file = join(file, 'index.html');
      }
      const size = statSync(file).size;
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': size });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, headers).end('not found');
    }
  });
}

function main() {
  const argv = process.argv.slice(2);
  const value = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = resolve(value('--root', join(root, 'dist')));
  const port = Number(value('--port', '8080'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`serve: --port must be a port number, got ${value('--port', '')}\n`);
    process.exitCode = 1;
    return;
  }
  const isolated = !argv.includes('--no-isolation');
  const server = staticServer({ '/': dir }, { isolated });
  server.on('error', (e) => {
    process.stderr.write(`serve: ${e.code === 'EADDRINUSE' ? `port ${port} is in use; try --port 0` : e.message}\n`);
    process.exitCode = 1;
  });
  server.listen(port, '127.0.0.1', () => {
    const { port: actual } = server.address();
    process.stdout.write(
      `Serving ${dir} ${isolated ? 'with' : 'without'} the cross-origin isolation headers.\n` +
        `The demo: http://127.0.0.1:${actual}/demo/  (Ctrl-C stops)\n`,
    );
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
