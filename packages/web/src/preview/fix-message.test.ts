import { describe, expect, it } from 'vitest';
import { fixMessage, kindLabel } from './fix-message.ts';

describe('fix this message', () => {
  it('describes an uncaught error with where it happened and its stack', () => {
    const text = fixMessage({
      kind: 'error',
      message: 'ReferenceError: count is not defined ',
      url: 'http://p-prj-1.localhost:3000/src/App.tsx?t=1#top',
      stack:
        'ReferenceError: count is not defined\n    at App (http://p-prj-1.localhost:3000/src/App.tsx:4:10)\n',
    });
    expect(text).toBe(
      [
        'The app in the preview reports an error. Find the cause and fix it.',
        '',
        'Error: ReferenceError: count is not defined',
        'Where: /src/App.tsx?t=1#top',
        '',
        '```',
        'ReferenceError: count is not defined',
        '    at App (/src/App.tsx:4:10)',
        '```',
      ].join('\n'),
    );
  });

  it('leaves out what the report does not have', () => {
    expect(fixMessage({ kind: 'console', message: 'Warning: each child needs a key' })).toBe(
      [
        'The app in the preview reports an error. Find the cause and fix it.',
        '',
        'Console error: Warning: each child needs a key',
      ].join('\n'),
    );
  });

  it('never passes on a preview access token', () => {
    const text = fixMessage({
      kind: 'request_failed',
      message: 'GET /api/todos failed: 500',
      url: 'http://p-prj-1.localhost:3000/api/todos?aura_preview_token=secret&page=2',
    });
    expect(text).toContain('Where: /api/todos?page=2');
    expect(text).not.toContain('secret');
  });

  it('keeps a URL it cannot parse as it is', () => {
    expect(fixMessage({ kind: 'unhandled_rejection', message: 'x', url: 'about:srcdoc' })).toContain(
      'Where: about:srcdoc',
    );
    expect(fixMessage({ kind: 'unhandled_rejection', message: 'x', url: 'not a url' })).toContain(
      'Where: not a url',
    );
  });

  it('cuts long logs and fences text that holds backticks', () => {
    const logs = Array.from({ length: 55 }, (_, i) => `line ${i + 1}`).join('\n');
    const text = fixMessage({ kind: 'error', message: 'The dev server exited with code 1.', stack: logs });
    expect(text).toContain('line 40\n… 15 more lines');
    expect(text).not.toContain('line 41');
    const fenced = fixMessage({ kind: 'error', message: 'x', stack: 'a ```b``` c' });
    expect(fenced).toContain('\n````\na ```b``` c\n````');
  });

  it('names each kind of report', () => {
    expect(kindLabel('unhandled_rejection')).toBe('Unhandled promise rejection');
    expect(kindLabel('request_failed')).toBe('Failed request');
  });
});
