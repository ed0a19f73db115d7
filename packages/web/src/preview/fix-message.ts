import type { EventDataOf } from '@aura/protocol';

export type PreviewError = EventDataOf<'preview_error'>;

const kindLabels: Record<PreviewError['kind'], string> = {
  error: 'Error',
  console: 'Console error',
  unhandled_rejection: 'Unhandled promise rejection',
  request_failed: 'Failed request',
};

export const kindLabel = (kind: PreviewError['kind']) => kindLabels[kind];

/** Stack traces and logs beyond this many lines add tokens, not insight. */
const MAX_DETAIL_LINES = 40;
const TOKEN_PARAM = 'aura_preview_token';

/** The message "Fix this" sends to the agent: the error as the preview reported it. */
export function fixMessage(error: PreviewError): string {
  const lines = [
    'The app in the preview reports an error. Find the cause and fix it.',
    '',
    `${kindLabel(error.kind)}: ${error.message.trim()}`,
  ];
  const where = error.url ? pageOf(error.url) : null;
  if (where) lines.push(`Where: ${where}`);
  const origin = error.url ? httpOrigin(error.url) : null;
  const stack = origin ? error.stack?.replaceAll(origin, '') : error.stack;
  const detail = stack ? trimDetail(stack) : '';
  if (detail) {
    const fence = fenceFor(detail);
    lines.push('', fence, detail, fence);
  }
  return lines.join('\n');
}

/**
 * Paths on the preview origin are what map to the project's routes and files; the origin itself
 * means nothing to the agent, and an access token must never reach it.
 */
function pageOf(url: string): string {
  const parsed = httpUrl(url);
  if (!parsed) return url;
  parsed.searchParams.delete(TOKEN_PARAM);
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

function httpOrigin(url: string): string | null {
  return httpUrl(url)?.origin ?? null;
}

function httpUrl(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : null;
  } catch {
    return null;
  }
}

function trimDetail(text: string): string {
  const lines = text.trimEnd().split('\n');
  if (lines.length <= MAX_DETAIL_LINES) return lines.join('\n');
  return [...lines.slice(0, MAX_DETAIL_LINES), `… ${lines.length - MAX_DETAIL_LINES} more lines`].join('\n');
}

/** A code fence longer than any run of backticks inside the text, so the text cannot close it. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}
