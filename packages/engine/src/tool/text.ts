/** Small text helpers shared by tools: sizes, caps and truncation notes. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

/** Cuts a single line to `max` characters, saying how much was cut. */
export function cutLine(line: string, max: number): string {
  if (line.length <= max) return line;
  return `${line.slice(0, max)}… [line truncated, ${line.length - max} more characters]`;
}

/**
 * Caps text at `maxBytes` (UTF-8) keeping the start, at a line boundary when one is near, and appends
 * `note` (which should tell the model how to get the rest).
 */
export function truncateText(
  text: string,
  maxBytes: number,
  note: string,
): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text) <= maxBytes) return { text, truncated: false };
  let cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  const lastNewline = cut.lastIndexOf('\n');
  if (lastNewline > cut.length * 0.8) cut = cut.slice(0, lastNewline);
  return { text: `${cut}\n[${note}]`, truncated: true };
}

/**
 * Caps text keeping its head and tail (command output: the start shows what ran, the end shows how
 * it finished).
 */
export function truncateMiddle(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const size = Buffer.byteLength(text);
  if (size <= maxBytes) return { text, truncated: false };
  const buffer = Buffer.from(text);
  const headBytes = Math.floor(maxBytes * 0.3);
  const tailBytes = maxBytes - headBytes;
  let head = buffer.subarray(0, headBytes).toString('utf8');
  if (head.endsWith('\uFFFD')) head = head.slice(0, -1);
  let tail = buffer.subarray(size - tailBytes).toString('utf8');
  if (tail.startsWith('\uFFFD')) tail = tail.slice(1);
  const omitted = size - headBytes - tailBytes;
  return { text: `${head}\n[… ${omitted} bytes omitted …]\n${tail}`, truncated: true };
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}
