import { type FormEvent, useEffect, useState } from 'react';

interface Note {
  id: number;
  text: string;
  createdAt: string;
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export default function App() {
  const [notes, setNotes] = useState<Note[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    request<{ items: Note[] }>('/api/notes')
      .then((body) => setNotes(body.items))
      .catch((e: Error) => setError(e.message));
  }, []);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    try {
      const note = await request<Note>('/api/notes', { method: 'POST', body: JSON.stringify({ text }) });
      setNotes((list) => [...list, note]);
      setText('');
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function remove(id: number) {
    await request<void>(`/api/notes/${id}`, { method: 'DELETE' }).catch((e: Error) => setError(e.message));
    setNotes((list) => list.filter((note) => note.id !== id));
  }

  return (
    <main className="min-h-screen bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <div className="mx-auto max-w-xl space-y-8 px-6 py-20">
        <header className="space-y-2">
          <h1 className="text-3xl font-semibold tracking-tight">Your app starts here</h1>
          <p className="text-slate-600 dark:text-slate-400">
            A React front end (<code>src/</code>) talking to a Hono API (<code>server/</code>).
          </p>
        </header>
        <form onSubmit={add} className="flex gap-2">
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Write a note"
            aria-label="Note"
            className="flex-1 rounded-lg border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
          />
          <button
            type="submit"
            className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
          >
            Add
          </button>
        </form>
        {error && <p className="text-sm text-red-600">{error}</p>}
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {notes.map((note) => (
            <li key={note.id} className="flex items-center justify-between px-4 py-3">
              <span>{note.text}</span>
              <button
                type="button"
                onClick={() => remove(note.id)}
                className="text-sm text-slate-500 hover:text-red-600"
                aria-label={`Delete ${note.text}`}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      </div>
    </main>
  );
}
