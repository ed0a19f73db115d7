import type { IncomingMessage } from 'node:http';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

/** The `aura serve` the dev server forwards /api and /ws to. */
const serverUrl = process.env.AURA_SERVER_URL ?? 'http://127.0.0.1:3000';

/**
 * The server only accepts cookie-authenticated writes and sockets from its own origin. A request
 * the browser sent from this dev server's own pages is same-origin here, so it is forwarded with
 * the server's origin; any other Origin passes through unchanged and is refused as usual.
 */
function asServerOrigin(req: IncomingMessage, setHeader: (name: string, value: string) => void): void {
  if (req.headers.origin === `http://${req.headers.host}`) setHeader('origin', new URL(serverUrl).origin);
}

const proxy: ProxyOptions = {
  target: serverUrl,
  ws: true,
  configure(server) {
    server.on('proxyReq', (proxyReq, req) => asServerOrigin(req, (n, v) => proxyReq.setHeader(n, v)));
    server.on('proxyReqWs', (proxyReq, req) => asServerOrigin(req, (n, v) => proxyReq.setHeader(n, v)));
  },
};

export default defineConfig({
  base: '/',
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/api': proxy, '/ws': proxy } },
});
