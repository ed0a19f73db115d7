import { useState } from 'react';

const stack = ['React 19', 'Vite', 'TypeScript', 'Tailwind CSS 4'];

export default function App() {
  const [count, setCount] = useState(0);

  return (
    <main className="min-h-screen bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <div className="mx-auto flex max-w-2xl flex-col items-center gap-8 px-6 py-24 text-center">
        <img src="/favicon.svg" alt="" className="size-14" />
        <div className="space-y-3">
          <h1 className="text-4xl font-semibold tracking-tight">Your app starts here</h1>
          <p className="text-slate-600 dark:text-slate-400">
            Edit{' '}
            <code className="rounded bg-slate-200 px-1.5 py-0.5 text-sm dark:bg-slate-800">src/App.tsx</code>{' '}
            and save: the preview updates instantly.
          </p>
        </div>
        <button
          type="button"
          onClick={() => setCount((n) => n + 1)}
          className="rounded-lg bg-indigo-600 px-5 py-2.5 font-medium text-white shadow-sm transition hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Clicked {count} {count === 1 ? 'time' : 'times'}
        </button>
        <ul className="flex flex-wrap justify-center gap-2 text-sm text-slate-500 dark:text-slate-400">
          {stack.map((item) => (
            <li key={item} className="rounded-full border border-slate-200 px-3 py-1 dark:border-slate-800">
              {item}
            </li>
          ))}
        </ul>
      </div>
    </main>
  );
}
