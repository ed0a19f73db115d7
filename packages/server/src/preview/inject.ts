import { REPORTER_PATH } from './reporter.ts';

export const reporterTag = `<script src="${REPORTER_PATH}"></script>`;

/**
 * Puts the reporter's <script> as early in the page as possible, so it sees errors thrown by the
 * page's own head scripts too: right after `<head>`, else before `</head>`, else after `<html>`,
 * else at the start.
 */
export function injectReporter(html: string): string {
  const head = /<head(?:\s[^>]*)?>/i.exec(html);
  if (head) return insertAt(html, head.index + head[0].length);
  const headEnd = /<\/head\s*>/i.exec(html);
  if (headEnd) return insertAt(html, headEnd.index);
  const root = /<html(?:\s[^>]*)?>/i.exec(html);
  if (root) return insertAt(html, root.index + root[0].length);
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return insertAt(html, doctype ? doctype[0].length : 0);
}

function insertAt(html: string, index: number): string {
  return html.slice(0, index) + reporterTag + html.slice(index);
}
