// The highlight worker: shiki's core and its JavaScript regex engine, off the main thread, so
// compiling a grammar and tokenizing long code never hold up typing or a streaming answer.
import { createHighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';
import type { WorkerReply, WorkerRequest } from './worker-messages.ts';

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage: (message: WorkerReply) => void;
}

const scope = self as unknown as WorkerScope;

const highlighter = createHighlighterCore({
  themes: [githubLight, githubDark],
  langs: [],
  // Forgiving: a grammar pattern the JS engine cannot express leaves a token plain, not an error.
  engine: createJavaScriptRegexEngine({ forgiving: true }),
});

let queue: Promise<void> = Promise.resolve();

scope.onmessage = ({ data }) => {
  queue = queue.then(() => handle(data)).catch(() => undefined);
};

async function handle(request: WorkerRequest): Promise<void> {
  const shiki = await highlighter;
  if (request.type === 'language') {
    await shiki.loadLanguage(...request.grammars);
    return;
  }
  try {
    const { tokens } = shiki.codeToTokens(request.code, {
      lang: request.language,
      themes: { light: 'github-light', dark: 'github-dark' },
      defaultColor: false,
    });
    const lines = tokens.map((line) => line.map((t) => ({ content: t.content, style: t.htmlStyle })));
    scope.postMessage({ id: request.id, lines });
  } catch (error) {
    scope.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
}
