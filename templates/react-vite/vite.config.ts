import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Aura runs this dev server behind its preview proxy, on another origin
// (http://p-<id>.localhost:<port>). The HMR client connects back to the page's own host, which
// is the proxy, and the proxy forwards the WebSocket, so no `server.hmr` settings are needed.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  // Keep Vite's pre-bundled dependencies in the project, never inside node_modules: node_modules
  // may share its files with other projects (hard links to a dependency cache).
  cacheDir: '.vite',
  server: {
    host: '127.0.0.1',
    port: Number(process.env.PORT) || 5173,
    strictPort: Boolean(process.env.PORT),
    // Requests arrive through the preview proxy with its Host header (p-<id>.localhost or a
    // preview domain); Vite refuses unknown hosts unless told otherwise.
    allowedHosts: true,
  },
});
