import { describe, expect, it } from 'vitest';
import { importInputFrom, parseSessionDocument, SessionDocumentError, snippetAround } from './index.ts';

const valid = () => ({
  format: 'aura-session',
  version: 1,
  session: {
    id: 'ses_1',
    title: 'A session',
    directory: '/work/app',
    model: 'openai/gpt-5',
    mode: 'chat',
    state: 'IDLE',
    createdAt: 1,
    updatedAt: 2,
    usage: { ignored: true },
  },
  messages: [
    {
      id: 'msg_1',
      sessionId: 'ses_1',
      role: 'user',
      parts: [{ type: 'text', text: 'hi' }],
      model: null,
      finishReason: null,
      usage: null,
      createdAt: 3,
    },
  ],
});

const errorOf = (value: unknown): string => {
  try {
    parseSessionDocument(value);
  } catch (error) {
    expect(error).toBeInstanceOf(SessionDocumentError);
    return (error as Error).message;
  }
  throw new Error('parsed');
};

describe('session documents', () => {
  it('accepts a version-1 document, dropping fields it does not use', () => {
    const doc = parseSessionDocument(valid());
    expect(doc.session).not.toHaveProperty('usage');
    expect(doc.messages[0]).not.toHaveProperty('sessionId');
    expect(doc.events).toBeUndefined();
  });

  it('says what is wrong with documents that are not session exports', () => {
    expect(errorOf([1, 2])).toMatch(/expected a JSON object/);
    expect(errorOf(null)).toMatch(/expected a JSON object/);
    expect(errorOf({ session: {}, messages: [] })).toMatch(/has no "format", expected "aura-session"/);
    expect(errorOf({ ...valid(), format: 'chat-log' })).toMatch(/has "format": "chat-log"/);
    expect(errorOf({ ...valid(), version: 2 })).toMatch(/version 2: this Aura reads version 1/);
    expect(errorOf({ ...valid(), version: '1' })).toMatch(/version "1"/);
  });

  it('names the path of each bad field', () => {
    const doc = valid();
    (doc.messages[0]!.parts[0] as { type: string }).type = 'picture';
    (doc.session as { createdAt: unknown }).createdAt = 'yesterday';
    const message = errorOf(doc);
    expect(message).toMatch(/^invalid session export:/);
    expect(message).toContain('messages[0].parts[0].type:');
    expect(message).toContain('session.createdAt:');
  });

  it('checks event data against its type, with the path inside the data', () => {
    const doc = {
      ...valid(),
      events: [
        { seq: 1, ts: 1, type: 'text_delta', data: { messageId: 'msg_1', delta: 'x' } },
        { seq: 2, ts: 1, type: 'text_delta', data: { messageId: 'msg_1', delta: 42 } },
        { seq: 3, ts: 1, type: 'launch_rockets', data: {} },
      ],
    };
    const message = errorOf(doc);
    expect(message).toContain('events[1].data.delta:');
    expect(message).toContain('events[2].type:');
  });

  it('refuses NUL characters, which PostgreSQL cannot store, and shows at most five issues', () => {
    const doc = valid();
    doc.session.title = 'bad\u0000title';
    expect(errorOf(doc)).toContain('session.title: must not contain NUL characters');
    const many = { ...valid(), messages: Array.from({ length: 8 }, () => ({ id: '' })) };
    expect(errorOf(many)).toMatch(/… and \d+ more/);
  });

  it('needs an absolute workspace, from the document or the caller', () => {
    const doc = parseSessionDocument({ ...valid(), session: { ...valid().session, directory: 'app' } });
    expect(() => importInputFrom(doc)).toThrow(/not an absolute path.*--dir/);
    expect(importInputFrom(doc, { directory: '/srv/../srv/app' }).session.directory).toBe('/srv/app');
  });
});

describe('snippetAround', () => {
  it('keeps short text whole and cuts long text around the match on one line', () => {
    expect(snippetAround('fix the\nbug', 'bug')).toBe('fix the bug');
    const long = `${'a '.repeat(100)}NEEDLE${' b'.repeat(100)}`;
    const snippet = snippetAround(long, 'needle', 40);
    expect(snippet).toContain('NEEDLE');
    expect(snippet.startsWith('…') && snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBe(42);
    expect(snippetAround(`${'x'.repeat(100)}end`, 'end', 20).endsWith('end')).toBe(true);
  });
});
