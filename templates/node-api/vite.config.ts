import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server (server/index.ts) listens on API_PORT; scripts/dev.mjs starts both and sets it.
const apiPort = Number(process.env.API_PORT) || 8787;

// Aura runs this dev server behind its preview proxy, on another origin
// (http://p-<id>.localhost:<port>); the HMR client connects back through the proxy.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  // Vite's dependency cache stays in the project, never in node_modules (whose files may be
  // hard links shared with other projects).
  cacheDir: '.vite',
  server: {
    host: '127.0.0.1',
    port: Number(process.env.PORT) || 5173,
    strictPort: Boolean(process.env.PORT),
    // Requests arrive through the preview proxy with its own Host header.
    allowedHosts: true,
    proxy: { '/api': `http://127.0.0.1:${apiPort}` },
  },
});
