import { describe, expect, it } from 'vitest';
import { acceptMention, mentionAt, slashQuery } from '../src/tui/completion.ts';
import { keyAction } from '../src/tui/keymap.ts';
import * as edit from '../src/tui/line-editor.ts';

const at = (text: string, cursor = text.length) => ({ text, cursor });

describe('line editor', () => {
  it('inserts at the cursor and deletes on either side of it', () => {
    let s = edit.insert(at('helo', 3), 'l');
    expect(s).toEqual({ text: 'hello', cursor: 4 });
    s = edit.backspace(s);
    expect(s).toEqual({ text: 'helo', cursor: 3 });
    s = edit.deleteForward(s);
    expect(s).toEqual({ text: 'hel', cursor: 3 });
    expect(edit.backspace(at('abc', 0))).toEqual(at('abc', 0));
    expect(edit.deleteForward(at('abc'))).toEqual(at('abc'));
  });

  it('never splits an emoji: left, right and backspace step over the whole character', () => {
    const s = at('a😀b', 3);
    expect(edit.moveLeft(s).cursor).toBe(1);
    expect(edit.moveRight(at('a😀b', 1)).cursor).toBe(3);
    expect(edit.backspace(s)).toEqual({ text: 'ab', cursor: 1 });
  });

  it('moves by word, and home/end stay on the current line', () => {
    const s = at('git commit -m "fix it"\nsecond line', 14);
    expect(edit.wordLeft(s).cursor).toBe(12);
    expect(edit.wordRight(s).cursor).toBe(18);
    expect(edit.moveHome(at('one\ntwo', 6)).cursor).toBe(4);
    expect(edit.moveEnd(at('one\ntwo', 1)).cursor).toBe(3);
  });

  it('Ctrl+U, Ctrl+K and Ctrl+W delete what a shell user expects', () => {
    expect(edit.killToLineStart(at('first\nsecond line', 13))).toEqual({ text: 'first\nline', cursor: 6 });
    expect(edit.killToLineEnd(at('first\nsecond', 2))).toEqual({ text: 'fi\nsecond', cursor: 2 });
    // At the end of a line Ctrl+K joins the next one.
    expect(edit.killToLineEnd(at('ab\ncd', 2))).toEqual({ text: 'abcd', cursor: 2 });
    expect(edit.deleteWordBefore(at('run the tests  '))).toEqual({ text: 'run the ', cursor: 8 });
  });

  it('moves up and down between lines keeping the column, and hands over to history at the edges', () => {
    const s = at('short\na much longer line', 20);
    const up = edit.moveVertically(s, -1);
    expect(up).toEqual({ text: s.text, cursor: 5 });
    expect(edit.moveVertically(up!, -1)).toBeNull();
    expect(edit.moveVertically(s, 1)).toBeNull();
    expect(edit.cursorPosition(s)).toEqual({ line: 1, column: 14 });
  });
});

describe('keys', () => {
  it('Enter sends; Alt+Enter and Ctrl+J add a line', () => {
    expect(keyAction('\r', { return: true })).toEqual({ type: 'submit' });
    expect(keyAction('\r', { return: true, meta: true })).toEqual({ type: 'newline' });
    expect(keyAction('\n', {})).toEqual({ type: 'newline' });
  });

  it('maps the editing and control keys', () => {
    expect(keyAction('u', { ctrl: true })).toEqual({ type: 'killToLineStart' });
    expect(keyAction('w', { ctrl: true })).toEqual({ type: 'deleteWordBefore' });
    expect(keyAction('c', { ctrl: true })).toEqual({ type: 'interrupt' });
    expect(keyAction('d', { ctrl: true })).toEqual({ type: 'eof' });
    expect(keyAction('', { leftArrow: true, ctrl: true })).toEqual({ type: 'wordLeft' });
    expect(keyAction('b', { meta: true })).toEqual({ type: 'wordLeft' });
    expect(keyAction('', { backspace: true, meta: true })).toEqual({ type: 'deleteWordBefore' });
    expect(keyAction('x', { ctrl: true })).toBeNull();
  });

  it('typed-ahead text with a final Enter is sent; a paste without bracketing keeps its line breaks', () => {
    expect(keyAction('hello\r', {})).toEqual({ type: 'insertThenSubmit', text: 'hello' });
    expect(keyAction('one\rtwo', {})).toEqual({ type: 'insert', text: 'one\ntwo' });
  });

  it('drops control characters from typed text so they never reach the prompt', () => {
    expect(keyAction('a\u0007b\u009bc', {})).toEqual({ type: 'insert', text: 'abc' });
  });
});

describe('completion triggers', () => {
  it('offers command names while a single /word is typed', () => {
    expect(slashQuery(at('/mo'))).toBe('mo');
    expect(slashQuery(at('/'))).toBe('');
    expect(slashQuery(at('/model gpt'))).toBeNull();
    expect(slashQuery(at('hi /mo'))).toBeNull();
  });

  it('finds the @mention at the cursor and replaces it with the chosen path', () => {
    const s = at('look at @src/a and tell me', 14);
    const token = mentionAt(s);
    expect(token).toEqual({ start: 8, query: 'src/a' });
    const accepted = acceptMention(s, token!, 'src/app.ts');
    expect(accepted.text).toBe('look at @src/app.ts  and tell me');
    expect(mentionAt(at('mail me at a@b.c'))).toBeNull();
    // A directory stays open so the path can go on.
    expect(acceptMention(at('@sr'), { start: 0, query: 'sr' }, 'src/')).toEqual({ text: '@src/', cursor: 5 });
  });
});
