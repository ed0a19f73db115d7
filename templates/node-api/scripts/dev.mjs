// Runs the API server (node --watch, restarts on change) and the Vite dev server together.
// Vite listens on $PORT and proxies /api to the API server on a free port of its own.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** A free loopback port: listen on port 0, read it, close. */
const freePort = () =>
  new Promise((done, fail) => {
    const probe = createServer();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });

const apiPort = process.env.API_PORT || String(await freePort());
const env = { ...process.env, API_PORT: apiPort };
const port = process.env.PORT || '5173';

const children = [
  spawn(process.execPath, ['--watch-path=server', 'server/index.ts'], { cwd: root, env, stdio: 'inherit' }),
  spawn(
    process.execPath,
    [resolve(root, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', port, '--strictPort'],
    { cwd: root, env, stdio: 'inherit' },
  ),
];

// When one stops, stop the other and exit with the first one's code.
let exiting = false;
const stopAll = (code) => {
  if (exiting) return;
  exiting = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
};
for (const child of children) child.on('exit', (code, signal) => stopAll(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(0));
