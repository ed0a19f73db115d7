import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bestLines, codebaseSearchTool, queryTerms } from './codebase-search.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';

let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace({
    'src/session/store.ts': [
      'export class SessionStore {',
      '  async persistSession(session: Session) {',
      '    await this.db.insert(session);',
      '  }',
      '}',
    ].join('\n'),
    'src/session/title.ts': 'export function titleFromText(text: string) {\n  return text.slice(0, 40);\n}\n',
    'src/ui/button.ts': 'export const button = "session";\n',
    'docs/persist.md': 'How we persist things.\n',
    'package-lock.json': '{"session": "persist persist persist"}',
    'node_modules/x/session.js': 'persistSession persistSession',
  });
});
afterEach(() => ws.cleanup());

describe('queryTerms', () => {
  it('splits identifiers and drops stopwords', () => {
    expect(queryTerms('where is persistSession implemented?')).toEqual([
      'persistsession',
      'persist',
      'session',
    ]);
    expect(queryTerms('HTTP_SERVER_PORT in config')).toEqual([
      'http_server_port',
      'http',
      'server',
      'port',
      'config',
    ]);
    expect(queryTerms('the of a')).toEqual([]);
  });
});

describe('bestLines', () => {
  it('picks the lines with the most terms, in file order', () => {
    expect(bestLines('a\nfoo bar\nfoo\nbar baz foo\n', ['foo', 'bar'], 2)).toEqual([
      { line: 2, text: 'foo bar' },
      { line: 4, text: 'bar baz foo' },
    ]);
  });
});

describe('codebase_search', () => {
  it('ranks the most relevant files first with snippets', async () => {
    const result = await ws.run(codebaseSearchTool, {
      query: 'where are sessions persisted (persistSession)',
    });
    expect(result.ok, result.output).toBe(true);
    const files = ((result.metadata?.files ?? []) as { path: string }[]).map((file) => file.path);
    expect(files[0]).toBe('src/session/store.ts');
    expect(files).not.toContain('package-lock.json');
    expect(files).not.toContain('node_modules/x/session.js');
    expect(result.output).toContain(
      'src/session/store.ts\n  1: export class SessionStore {\n  2: async persistSession(session: Session) {',
    );
  });

  it('says when nothing matches or the query has no usable words', async () => {
    expect((await ws.run(codebaseSearchTool, { query: 'kubernetes' })).output).toMatch(
      /No files mention any of: kubernetes/,
    );
    const empty = await ws.run(codebaseSearchTool, { query: 'how is the' });
    expect(empty.ok).toBe(false);
    expect(empty.output).toMatch(/no searchable words/);
  });
});
