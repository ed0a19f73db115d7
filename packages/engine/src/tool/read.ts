import { open } from 'node:fs/promises';
import { type ReadInput, readInput } from '@aura/protocol';
import { describeBinary, looksBinary } from './binary.ts';
import { MAX_TEXT_FILE_BYTES, readSample } from './fsutil.ts';
import { readLineSlice } from './line-reader.ts';
import { resolveWorkspacePath } from './paths.ts';
import { formatBytes } from './text.ts';
import { type ToolDefinition, ToolError } from './types.ts';

export const DEFAULT_READ_LINES = 2000;
export const MAX_LINE_CHARS = 2000;
export const MAX_READ_OUTPUT_CHARS = 50 * 1024;

function formatLine(number: number, width: number, text: string, cut: number): string {
  const suffix = cut > 0 ? `… [line truncated, ${cut} more characters]` : '';
  return `${String(number).padStart(width)}\t${text}${suffix}`;
}

export const readTool: ToolDefinition<ReadInput> = {
  name: 'read',
  description: [
    'Read a text file from the workspace. Output is line-numbered ("  12\\tcode"); the numbers are not part of the file, so never copy them into edits.',
    `Returns up to ${DEFAULT_READ_LINES} lines by default; use offset (1-based first line) and limit to read other parts of long files. Lines longer than ${MAX_LINE_CHARS} characters are cut.`,
    `Binary files (images, archives, executables) are described by type and size instead of shown. Files over ${formatBytes(MAX_TEXT_FILE_BYTES)} must be read in slices with offset/limit, or searched with grep.`,
    'The path is relative to the workspace root. Use list or glob to find files first if unsure.',
  ].join('\n'),
  inputSchema: readInput,
  readOnly: true,
  subject: (input) => input.path,
  async execute(input, ctx) {
    const target = resolveWorkspacePath(ctx.workspace, input.path, { mustExist: true });
    if (target.stats?.isDirectory()) {
      throw new ToolError(`"${target.relative}" is a directory. Use list to see its contents.`);
    }
    if (!target.stats?.isFile()) {
      throw new ToolError(
        `"${target.relative}" is not a regular file (device, socket or pipe); it cannot be read.`,
      );
    }
    const handle = await open(target.absolute, 'r');
    try {
      const size = (await handle.stat()).size;
      const sample = await readSample(handle);
      if (looksBinary(sample)) {
        const description = describeBinary(sample, size, target.relative);
        return {
          ok: true,
          output: `"${target.relative}" is a binary file (${description}). Its contents cannot be shown as text.`,
          metadata: { path: target.relative, binary: true, size, type: description },
        };
      }
      const sliced = input.offset !== undefined || input.limit !== undefined;
      if (size > MAX_TEXT_FILE_BYTES && !sliced) {
        throw new ToolError(
          `"${target.relative}" is ${formatBytes(size)}, over the ${formatBytes(MAX_TEXT_FILE_BYTES)} limit for reading a whole file. Read a slice with offset and limit (e.g. offset: 1, limit: 200), or search it with grep.`,
        );
      }
      if (size === 0) {
        return {
          ok: true,
          output: `"${target.relative}" is empty.`,
          metadata: { path: target.relative, size, lines: 0 },
        };
      }

      const startLine = input.offset ?? 1;
      const slice = await readLineSlice(handle, {
        startLine,
        maxLines: input.limit ?? DEFAULT_READ_LINES,
        maxLineChars: MAX_LINE_CHARS,
        maxChars: MAX_READ_OUTPUT_CHARS,
        countTotal: size <= MAX_TEXT_FILE_BYTES,
      });
      if (slice.lines.length === 0) {
        const total = slice.totalLines ?? 0;
        throw new ToolError(
          `offset ${startLine} is past the end of "${target.relative}", which has ${total} line${total === 1 ? '' : 's'}. Use an offset between 1 and ${Math.max(1, total)}.`,
        );
      }

      const first = slice.lines[0]!.number;
      const last = slice.lines.at(-1)!.number;
      const width = Math.max(4, String(last).length);
      const body = slice.lines.map((line) => formatLine(line.number, width, line.text, line.cut)).join('\n');
      const of = slice.totalLines !== undefined ? ` of ${slice.totalLines}` : '';
      let note = '';
      if (slice.hasMore && slice.stoppedBy === 'size') {
        note = `\n\n[Output capped at ${formatBytes(MAX_READ_OUTPUT_CHARS)}: showing lines ${first}-${last}${of}. Use offset: ${last + 1} to continue.]`;
      } else if (slice.hasMore) {
        note = `\n\n[Showing lines ${first}-${last}${of}. Use offset: ${last + 1} to read more.]`;
      }
      return {
        ok: true,
        output: body + note,
        metadata: {
          path: target.relative,
          size,
          startLine: first,
          endLine: last,
          totalLines: slice.totalLines,
          truncated: slice.hasMore || slice.lines.some((line) => line.cut > 0),
        },
      };
    } finally {
      await handle.close();
    }
  },
};
