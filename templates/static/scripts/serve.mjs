// Dev server for this site: static files from the project folder on 127.0.0.1:$PORT, with live
// reload (an injected script listens on an event stream; any file change reloads the page).
// No dependencies: node:http only.
import { createReadStream, watch } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT) || 5173;
const host = process.env.HOST || '127.0.0.1';
const reloadPath = '/__live-reload';
const reloadScript = `<script>new EventSource('${reloadPath}').onmessage = () => location.reload();</script>`;

/** Top-level entries that are tooling, not site. Dot-files are never served either. */
const private_ = new Set([
  'node_modules',
  'scripts',
  'dist',
  'README.md',
  'aura.json',
  'package.json',
  'package-lock.json',
]);

const types = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** The file a URL path names inside the site, or undefined when it is outside or private. */
async function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((s) => s.startsWith('.') || s.includes('\\'))) return undefined;
  if (segments[0] && private_.has(segments[0])) return undefined;
  let file = join(root, ...segments);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const real = await realpath(file);
    if (real !== root && !real.startsWith(root + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

const clients = new Set();

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (url.pathname === reloadPath) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
    return;
  }
  const file = await resolveFile(url.pathname);
  if (!file) {
    const notFound = await resolveFile('/404.html');
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(notFound ? await readFile(notFound) : '<h1>404</h1><p>Not found.</p>');
    return;
  }
  const type = types[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers = { 'content-type': type, 'cache-control': 'no-store' };
  if (type.startsWith('text/html')) {
    const html = await readFile(file, 'utf8');
    const body = html.includes('</body>')
      ? html.replace('</body>', `${reloadScript}</body>`)
      : html + reloadScript;
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
});

// Reload every open page shortly after files change (editors save in bursts).
let timer;
watch(root, { recursive: true }, (_event, name) => {
  const first = String(name ?? '').split(sep)[0] ?? '';
  if (first.startsWith('.') || private_.has(first)) return;
  clearTimeout(timer);
  timer = setTimeout(() => {
    for (const client of clients) client.write('data: reload\n\n');
  }, 50);
});

// Keeps idle event streams open through proxies.
setInterval(() => {
  for (const client of clients) client.write(': ping\n\n');
}, 25_000).unref();

server.listen(port, host, () => {
  console.log(`Static site on http://${host}:${port}/ (serving ${relative(process.cwd(), root) || '.'})`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const client of clients) client.end();
    server.close(() => process.exit(0));
  });
}
