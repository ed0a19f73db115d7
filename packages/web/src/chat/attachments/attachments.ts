import type { Attachment } from '@aura/protocol';

/** A project file, sent as its workspace-relative path; or an image, sent inline as a data URL. */
export type ChatAttachment =
  | { kind: 'file'; path: string }
  | { kind: 'image'; name: string; mediaType: string; dataUrl: string };

/** The protocol's limit per message. */
export const MAX_ATTACHMENTS = 20;

/**
 * Images travel inside the `send` command, and the session socket takes frames of up to 1 MB:
 * this leaves room for the message text and the frame around it.
 */
export const MAX_IMAGE_CHARS = 700_000;

export function attachmentKey(attachment: ChatAttachment): string {
  return attachment.kind === 'file'
    ? `file:${attachment.path}`
    : `image:${attachment.dataUrl.length}:${attachment.name}`;
}

export function imageChars(attachments: readonly ChatAttachment[]): number {
  return attachments.reduce((sum, a) => sum + (a.kind === 'image' ? a.dataUrl.length : 0), 0);
}

/**
 * Adds an attachment unless it is already there; returns the reason when it cannot be added,
 * in words for the person attaching it.
 */
export function addAttachment(
  list: readonly ChatAttachment[],
  next: ChatAttachment,
): { list: readonly ChatAttachment[]; problem: string | null } {
  if (list.some((a) => attachmentKey(a) === attachmentKey(next))) return { list, problem: null };
  if (list.length >= MAX_ATTACHMENTS)
    return { list, problem: `A message can carry at most ${MAX_ATTACHMENTS} attachments.` };
  if (next.kind === 'image' && imageChars(list) + next.dataUrl.length > MAX_IMAGE_CHARS)
    return {
      list,
      problem: `${next.name} does not fit: the images of one message must stay under about 500 KB.`,
    };
  return { list: [...list, next], problem: null };
}

const textTypes: Record<string, string> = {
  ts: 'text/typescript',
  tsx: 'text/typescript',
  js: 'text/javascript',
  jsx: 'text/javascript',
  mjs: 'text/javascript',
  json: 'application/json',
  html: 'text/html',
  css: 'text/css',
  md: 'text/markdown',
  py: 'text/x-python',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** A media type for a project file by its extension; plain text when unknown. */
export function mediaTypeOfPath(path: string): string {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return Object.hasOwn(textTypes, extension) ? textTypes[extension]! : 'text/plain';
}

export function toProtocol(attachment: ChatAttachment): Attachment {
  if (attachment.kind === 'file')
    return { mediaType: mediaTypeOfPath(attachment.path), filename: attachment.path, url: attachment.path };
  return { mediaType: attachment.mediaType, filename: attachment.name, url: attachment.dataUrl };
}

/** A sent message's attachment, for showing it: inline images as images, the rest as files. */
export function fromProtocol(attachment: Attachment): ChatAttachment {
  if (attachment.mediaType.startsWith('image/') && attachment.url.startsWith('data:image/'))
    return {
      kind: 'image',
      name: attachment.filename ?? 'image',
      mediaType: attachment.mediaType,
      dataUrl: attachment.url,
    };
  return { kind: 'file', path: attachment.filename ?? attachment.url };
}
