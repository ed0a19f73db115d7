import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createApi } from './app.ts';

// Development: scripts/dev.mjs runs this on API_PORT behind Vite's /api proxy.
// Production (`npm run build && npm start`): this one server also serves the built front end.
const production = process.env.NODE_ENV === 'production';
const port = Number(production ? process.env.PORT : process.env.API_PORT) || 8787;

const app = new Hono();
app.route('/', createApi());
if (production) {
  app.use('*', serveStatic({ root: './dist' }));
  app.get('*', serveStatic({ path: './dist/index.html' }));
}

serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`API listening on http://127.0.0.1:${info.port}/api`);
});
