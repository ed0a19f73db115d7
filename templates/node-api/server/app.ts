import { Hono } from 'hono';

export interface Note {
  id: number;
  text: string;
  createdAt: string;
}

/** The API. Notes live in memory: replace `notes` with a database when the app needs one. */
export function createApi() {
  const notes: Note[] = [{ id: 1, text: 'Hello from the API', createdAt: new Date().toISOString() }];
  let nextId = 2;

  const api = new Hono().basePath('/api');

  api.get('/health', (c) => c.json({ ok: true }));

  api.get('/notes', (c) => c.json({ items: notes }));

  api.post('/notes', async (c) => {
    const body: unknown = await c.req.json().catch(() => null);
    const text =
      typeof body === 'object' && body !== null && 'text' in body && typeof body.text === 'string'
        ? body.text.trim()
        : '';
    if (!text || text.length > 500) return c.json({ error: 'text must be 1 to 500 characters' }, 400);
    const note: Note = { id: nextId++, text, createdAt: new Date().toISOString() };
    notes.push(note);
    return c.json(note, 201);
  });

  api.delete('/notes/:id', (c) => {
    const index = notes.findIndex((note) => note.id === Number(c.req.param('id')));
    if (index === -1) return c.json({ error: 'no such note' }, 404);
    notes.splice(index, 1);
    return c.body(null, 204);
  });

  return api;
}
