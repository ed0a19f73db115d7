import { open, realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import type { Attachment } from '@aura/protocol';

export const maxBytesPerFile = 32 * 1024;
export const maxBytesTotal = 128 * 1024;

/** `@path` tokens in a prompt: after a space or at the start, up to the next space. */
const mentionPattern = /(?<=^|\s)@([^\s@`'"]+)/g;

export function findMentions(text: string): string[] {
  const paths = new Set<string>();
  for (const match of text.matchAll(mentionPattern)) paths.add(match[1]!.replace(/[.,;:!?)]+$/, ''));
  return [...paths].filter(Boolean);
}

export interface FileSnippet {
  path: string;
  /** The content to attach, or why nothing is attached. */
  content?: string;
  note?: string;
  truncatedFrom?: number;
}

/** Reads at most `limit` bytes of a workspace file; refuses paths that leave the workspace. */
export async function readWorkspaceFile(
  workspace: string,
  path: string,
  limit: number,
): Promise<FileSnippet> {
  const root = await realpath(workspace);
  const outside = (absolute: string) => {
    const inside = relative(root, absolute);
    return inside.startsWith('..') || isAbsolute(inside);
  };
  const requested = resolve(root, path);
  if (outside(requested)) return { path, note: 'outside the workspace, not attached' };
  let absolute: string;
  try {
    absolute = await realpath(requested);
  } catch {
    return { path, note: 'no such file in the workspace' };
  }
  if (outside(absolute)) return { path, note: 'outside the workspace, not attached' };
  const handle = await open(absolute, 'r');
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { path, note: 'not a file' };
    const buffer = Buffer.alloc(Math.min(stats.size, limit));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytes.includes(0)) return { path, note: 'binary file, not attached' };
    const content = bytes.toString('utf8').replace(/\uFFFD+$/, '');
    return stats.size > limit ? { path, content, truncatedFrom: stats.size } : { path, content };
  } finally {
    await handle.close();
  }
}

/** Attached files start with this line, which the transcript folds back into a mention. */
const attachmentHeader = (path: string) => `--- attached file @${path} ---`;
const headerPattern = /^--- attached file @(\S+) ---$/gm;

function fenced(content: string): string {
  const longestRun = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}\n${content.replace(/\n$/, '')}\n${fence}`;
}

/**
 * The prompt as sent: the text as typed (mentions kept), then each mentioned file's contents in a
 * fenced block under a header line, up to `maxBytesPerFile` each and `maxBytesTotal` in all.
 * Files that cannot be attached get a one-line note instead, so the model knows.
 */
export async function attachMentions(
  text: string,
  read: (path: string, limit: number) => Promise<FileSnippet>,
): Promise<{ text: string; attached: FileSnippet[] }> {
  const paths = findMentions(text);
  const attached: FileSnippet[] = [];
  const blocks: string[] = [];
  let budget = maxBytesTotal;
  for (const path of paths) {
    const snippet =
      budget <= 0
        ? { path, note: 'not attached: the attachment budget is used up' }
        : await read(path, Math.min(maxBytesPerFile, budget)).catch(
            (error: NodeJS.ErrnoException): FileSnippet => ({
              path,
              note: `unreadable (${error.code ?? 'error'})`,
            }),
          );
    attached.push(snippet);
    if (snippet.content === undefined) {
      blocks.push(`${attachmentHeader(path)}\n(${snippet.note})`);
      continue;
    }
    budget -= Buffer.byteLength(snippet.content);
    const cut = snippet.truncatedFrom
      ? `\n(only the first ${Buffer.byteLength(snippet.content)} of ${snippet.truncatedFrom} bytes)`
      : '';
    blocks.push(`${attachmentHeader(path)}\n${fenced(snippet.content)}${cut}`);
  }
  return { text: blocks.length ? `${text}\n\n${blocks.join('\n\n')}` : text, attached };
}

/** A sent prompt as the person typed it, and the files that were attached to it. */
export function foldAttachments(text: string): { text: string; files: string[] } {
  const files = [...text.matchAll(headerPattern)].map((m) => m[1]!);
  if (files.length === 0) return { text, files };
  const first = text.search(headerPattern);
  return { text: text.slice(0, first).trimEnd(), files };
}

/** The most attachments one message may carry (the protocol's limit). */
export const maxAttachedFiles = 20;

const imageTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/**
 * Mentions of a workspace that is not on this machine (a server's project), as attachments by
 * path: the server reads each file when the turn starts, as the web IDE's attached files are.
 * A mention that names no file of the workspace, or one past the limit, gets a note instead.
 */
export async function mentionAttachments(
  text: string,
  isWorkspaceFile: (path: string) => Promise<boolean>,
): Promise<{ attachments: Attachment[]; notes: { path: string; note: string }[] }> {
  const attachments: Attachment[] = [];
  const notes: { path: string; note: string }[] = [];
  for (const path of findMentions(text)) {
    if (!(await isWorkspaceFile(path))) notes.push({ path, note: 'no such file in the project' });
    else if (attachments.length === maxAttachedFiles)
      notes.push({ path, note: `not attached: a message carries at most ${maxAttachedFiles} files` });
    else {
      const mediaType = imageTypes[extname(path).toLowerCase()] ?? 'text/plain';
      attachments.push({ mediaType, filename: path, url: path });
    }
  }
  return { attachments, notes };
}
