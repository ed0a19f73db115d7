/** The smallest single replacement that turns `before` into `after`: common start and end kept. */
export function minimalChange(before: string, after: string): { from: number; to: number; insert: string } {
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < limit - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

/**
 * The line break a file uses, so the editor keeps it: CodeMirror would otherwise join lines with
 * "\n", and a CRLF file would look edited as soon as it opened. Null for the default.
 */
export function lineBreakOf(text: string): '\r\n' | null {
  return text.includes('\r\n') ? '\r\n' : null;
}

/**
 * The change that turns an editor's text into `next`. `doc` is the editor's text with "\n" line
 * breaks, which is how CodeMirror counts positions; in a CRLF file the inserted text keeps "\r\n".
 */
export function reloadChange(doc: string, next: string, lineBreak: '\r\n' | null) {
  if (!lineBreak) return minimalChange(doc, next);
  const change = minimalChange(doc, next.replaceAll(lineBreak, '\n'));
  return { ...change, insert: change.insert.replaceAll('\n', lineBreak) };
}
