import { mkdir, mkdtemp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryCursor, historyFile, historyLimit, PromptHistory } from '../src/tui/history.ts';
import {
  attachMentions,
  findMentions,
  foldAttachments,
  maxAttachedFiles,
  maxBytesPerFile,
  mentionAttachments,
  readWorkspaceFile,
} from '../src/tui/mentions.ts';

const temp = () => mkdtemp(join(tmpdir(), 'aura-tui-'));

describe('prompt history', () => {
  it('lives in $XDG_STATE_HOME/aura/history, falling back to ~/.local/state', () => {
    expect(historyFile({ XDG_STATE_HOME: '/s' })).toBe('/s/aura/history');
    expect(historyFile({})).toMatch(/\.local\/state\/aura\/history$/);
  });

  it('keeps multi-line prompts across restarts in a private file, without repeats', async () => {
    const file = join(await temp(), 'state', 'aura', 'history');
    const history = await PromptHistory.open(file);
    await history.add('first');
    await history.add('two\nlines');
    await history.add('two\nlines');
    await history.add('   ');
    const reopened = await PromptHistory.open(file);
    expect(reopened.entries).toEqual(['first', 'two\nlines']);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('skips lines it cannot read and keeps the rest', async () => {
    const file = join(await temp(), 'history');
    await writeFile(file, `"ok"\n{not json\n42\n"also ok"\n`);
    expect((await PromptHistory.open(file)).entries).toEqual(['ok', 'also ok']);
  });

  it(`keeps the newest ${historyLimit} entries and compacts the file`, async () => {
    const file = join(await temp(), 'history');
    const history = await PromptHistory.open(file);
    for (let i = 0; i < historyLimit * 2 + 5; i++) await history.add(`prompt ${i}`);
    expect(history.entries).toHaveLength(historyLimit);
    expect(history.entries.at(-1)).toBe(`prompt ${historyLimit * 2 + 4}`);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines.length).toBeLessThan(historyLimit * 2);
    expect((await PromptHistory.open(file)).entries.at(0)).toBe(`prompt ${historyLimit + 5}`);
  });

  it('walks older and newer, bringing back the draft at the end', () => {
    const cursor = new HistoryCursor(['one', 'two']);
    expect(cursor.older('my draft')).toBe('two');
    expect(cursor.older('two')).toBe('one');
    expect(cursor.older('one')).toBeNull();
    expect(cursor.newer()).toBe('two');
    expect(cursor.newer()).toBe('my draft');
    expect(cursor.newer()).toBeNull();
  });

  it('a history it cannot write does not break the chat', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'file'), 'x');
    const history = await PromptHistory.open(join(dir, 'file', 'history'));
    await expect(history.add('still works')).resolves.toBeUndefined();
    expect(history.entries).toEqual(['still works']);
  });
});

describe('@file mentions', () => {
  it('finds mentioned paths but not e-mail addresses or trailing punctuation', () => {
    expect(findMentions('see @src/app.ts, and @README.md. mail a@b.c')).toEqual(['src/app.ts', 'README.md']);
  });

  it('attaches each file in a fence longer than any inside it, and folds it back for display', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'notes.md'), 'Use ``` fences:\n```js\nx\n```\n');
    const { text } = await attachMentions('summarise @notes.md', (p, limit) =>
      readWorkspaceFile(dir, p, limit),
    );
    expect(text).toContain('--- attached file @notes.md ---\n````\nUse ``` fences:');
    expect(text.endsWith('````')).toBe(true);
    expect(foldAttachments(text)).toEqual({ text: 'summarise @notes.md', files: ['notes.md'] });
  });

  it('refuses paths outside the workspace, through .. or a symlink', async () => {
    const dir = await temp();
    const outside = await temp();
    await writeFile(join(outside, 'secret.txt'), 'top secret');
    await symlink(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    const read = (p: string, limit: number) => readWorkspaceFile(dir, p, limit);
    const { text, attached } = await attachMentions('@../x @link.txt @/etc/passwd @missing.ts', read);
    expect(text).not.toContain('top secret');
    expect(text).not.toContain('root:');
    expect(attached.map((a) => a.note)).toEqual([
      'outside the workspace, not attached',
      'outside the workspace, not attached',
      'outside the workspace, not attached',
      'no such file in the workspace',
    ]);
  });

  it('caps big files and skips binary ones and directories', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'big.txt'), 'a'.repeat(maxBytesPerFile * 2));
    await writeFile(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
    await mkdir(join(dir, 'src'));
    const read = (p: string, limit: number) => readWorkspaceFile(dir, p, limit);
    const { text, attached } = await attachMentions('@big.txt @image.png @src', read);
    expect(attached[0]!.truncatedFrom).toBe(maxBytesPerFile * 2);
    expect(text).toContain(`(only the first ${maxBytesPerFile} of ${maxBytesPerFile * 2} bytes)`);
    expect(attached[1]!.note).toBe('binary file, not attached');
    expect(attached[2]!.note).toBe('not a file');
  });

  it('sends the text unchanged when nothing is mentioned', async () => {
    const read = async () => {
      throw new Error('should not read');
    };
    expect((await attachMentions('plain prompt', read)).text).toBe('plain prompt');
  });
});

describe("@file mentions of a server's workspace", () => {
  it('attaches files by path up to the limit, images by their type, and notes the rest', async () => {
    const names = Array.from({ length: maxAttachedFiles + 1 }, (_, i) => `f${i}.txt`);
    const known = new Set([...names, 'shot.JPG']);
    const { attachments, notes } = await mentionAttachments(
      `see @shot.JPG, @missing.md and ${names.map((n) => `@${n}`).join(' ')}`,
      async (path) => known.has(path),
    );
    expect(attachments[0]).toEqual({ mediaType: 'image/jpeg', filename: 'shot.JPG', url: 'shot.JPG' });
    expect(attachments[1]).toEqual({ mediaType: 'text/plain', filename: 'f0.txt', url: 'f0.txt' });
    expect(attachments).toHaveLength(maxAttachedFiles);
    expect(notes).toEqual([
      { path: 'missing.md', note: 'no such file in the project' },
      { path: names.at(-2), note: `not attached: a message carries at most ${maxAttachedFiles} files` },
      { path: names.at(-1), note: `not attached: a message carries at most ${maxAttachedFiles} files` },
    ]);
  });
});
