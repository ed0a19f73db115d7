import { readFile, stat } from 'node:fs/promises';
import type { Attachment } from '@aura/protocol';
import { looksBinary, SNIFF_BYTES } from '../tool/binary.ts';
import { resolveWorkspacePath } from '../tool/paths.ts';

/** A workspace file attached to a message is read up to this size. */
export const MAX_ATTACHED_FILE_BYTES = 512 * 1024;
const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?(;[\w-]+=[\w.-]+)*;base64,[A-Za-z0-9+/]*={0,2}$/;

/**
 * Makes every attachment self-contained before the message is stored: a data: URL stays as it
 * is, a workspace path becomes a data: URL of the file as it is now (later edits do not change
 * what was sent). A path that cannot be attached (outside the workspace, missing, too big,
 * binary and not an image) becomes a note in the text the model reads, never a failed run.
 */
export async function snapshotAttachments(
  workspace: string,
  attachments: Attachment[],
): Promise<{ attachments: Attachment[]; notes: string[] }> {
  const kept: Attachment[] = [];
  const notes: string[] = [];
  for (const attachment of attachments) {
    if (attachment.url.startsWith('data:')) {
      if (DATA_URL.test(attachment.url)) kept.push(attachment);
      else notes.push(`(An attachment${named(attachment)} was not a base64 data: URL and was left out.)`);
      continue;
    }
    try {
      kept.push(await readWorkspaceFile(workspace, attachment));
    } catch (error) {
      notes.push(`(The attached file ${attachment.url} could not be attached: ${(error as Error).message})`);
    }
  }
  return { attachments: kept, notes };
}

async function readWorkspaceFile(workspace: string, attachment: Attachment): Promise<Attachment> {
  const { absolute, relative } = resolveWorkspacePath(workspace, attachment.url, { mustExist: true });
  const info = await stat(absolute);
  if (!info.isFile()) throw new Error('it is not a file');
  if (info.size > MAX_ATTACHED_FILE_BYTES)
    throw new Error(`it is ${info.size} bytes, over the ${MAX_ATTACHED_FILE_BYTES}-byte limit`);
  const bytes = await readFile(absolute);
  const image = attachment.mediaType.startsWith('image/');
  if (!image && looksBinary(bytes.subarray(0, SNIFF_BYTES))) throw new Error('it is a binary file');
  const mediaType = image ? attachment.mediaType : 'text/plain';
  return {
    mediaType,
    filename: attachment.filename ?? relative,
    url: `data:${mediaType};base64,${bytes.toString('base64')}`,
  };
}

function named(attachment: Attachment): string {
  return attachment.filename ? ` (${attachment.filename})` : '';
}

/** Splits a base64 data: URL into its media type and payload; undefined for anything else. */
export function parseDataUrl(url: string): { mediaType: string; base64: string } | undefined {
  if (!DATA_URL.test(url)) return undefined;
  const comma = url.indexOf(',');
  const mediaType = url.slice(5, comma).split(';')[0] || 'application/octet-stream';
  return { mediaType, base64: url.slice(comma + 1) };
}
