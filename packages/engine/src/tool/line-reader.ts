import type { FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export interface LineSliceOptions {
  /** 1-based first line to return. */
  startLine: number;
  maxLines: number;
  /** Longer lines are cut; only this many characters of a line are ever held in memory. */
  maxLineChars: number;
  /** Stop once the returned lines add up to about this many characters. */
  maxChars: number;
  /** Keep scanning after the window to count the file's lines (only newlines are counted). */
  countTotal: boolean;
  chunkBytes?: number;
}

export interface SlicedLine {
  number: number;
  text: string;
  /** Characters cut from the end of this line (0 when whole). */
  cut: number;
}

export interface LineSlice {
  lines: SlicedLine[];
  /** Number of lines in the file, when the scan reached the end. */
  totalLines: number | undefined;
  /** Why the window closed early (lines remain after it), if it did. */
  stoppedBy: 'limit' | 'size' | undefined;
  /** Whether the file continues after the last returned line. */
  hasMore: boolean;
}

/**
 * Streams a text file in chunks and returns a window of lines without ever loading the whole file
 * (or a whole multi-megabyte line) into memory.
 */
export async function readLineSlice(handle: FileHandle, options: LineSliceOptions): Promise<LineSlice> {
  const size = (await handle.stat()).size;
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const buffer = Buffer.alloc(chunkBytes);
  const decoder = new StringDecoder('utf8');
  const lines: SlicedLine[] = [];
  let lineNumber = 1;
  let current = '';
  let currentLength = 0;
  let chars = 0;
  let collecting = true;
  let stoppedBy: LineSlice['stoppedBy'];
  let position = 0;
  let reachedEnd = false;
  let hasMore = false;

  const inWindow = () => collecting && lineNumber >= options.startLine;

  const completeLine = () => {
    if (inWindow()) {
      const whole = currentLength === current.length;
      let text = whole && current.endsWith('\r') ? current.slice(0, -1) : current;
      if (lineNumber === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      lines.push({ number: lineNumber, text, cut: currentLength - current.length });
      chars += text.length + 8;
      if (lines.length >= options.maxLines) stoppedBy = 'limit';
      else if (chars >= options.maxChars) stoppedBy = 'size';
      if (stoppedBy) collecting = false;
    }
    lineNumber += 1;
    current = '';
    currentLength = 0;
  };

  const append = (text: string) => {
    if (inWindow()) {
      const room = options.maxLineChars - current.length;
      if (room > 0) current += text.length > room ? text.slice(0, room) : text;
    }
    currentLength += text.length;
  };

  scan: for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position);
    if (bytesRead === 0) {
      reachedEnd = true;
      break;
    }
    position += bytesRead;
    const text = decoder.write(buffer.subarray(0, bytesRead));
    let index = 0;
    while (index < text.length) {
      const newline = text.indexOf('\n', index);
      if (newline === -1) {
        append(text.slice(index));
        break;
      }
      append(text.slice(index, newline));
      index = newline + 1;
      completeLine();
      if (stoppedBy && !options.countTotal) {
        hasMore = index < text.length || position < size;
        break scan;
      }
    }
  }

  if (reachedEnd) {
    append(decoder.end());
    if (currentLength > 0) completeLine();
    const totalLines = lineNumber - 1;
    const last = lines.at(-1)?.number ?? 0;
    hasMore = lines.length > 0 && last < totalLines;
    return { lines, totalLines, stoppedBy: hasMore ? stoppedBy : undefined, hasMore };
  }
  return { lines, totalLines: undefined, stoppedBy: hasMore ? stoppedBy : undefined, hasMore };
}
