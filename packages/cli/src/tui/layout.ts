// The lines of everything below the printed transcript, computed here rather than left to Ink's
// wrapping so the screen's height and the cursor's position are known exactly: the live area is
// kept short enough that the frame never fills the terminal, which is what keeps redraws clean.
import { sanitizeForTerminal } from '../render-text.ts';
import type { PermissionRequest } from './chat-state.ts';
import { cursorPosition, type EditorState } from './line-editor.ts';
import { chopToWidth, displayWidth, truncateToWidth } from './md-width.ts';
import { type Picker, pickerMatches } from './picker.ts';
import { toolLabel, toolSubject } from './render-item.ts';
import type { Theme } from './theme.ts';

/** Rows a line takes when the terminal breaks it every `width` columns. */
export function rowsOf(line: string, width: number): number {
  return Math.max(1, Math.ceil(displayWidth(line) / Math.max(1, width)));
}

/** The last lines of `text` that fit in `maxRows` rows, with a marker when some are hidden. */
export function tailToRows(text: string, width: number, maxRows: number, theme: Theme): string[] {
  const lines = text.split('\n');
  const kept: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const rows = rowsOf(lines[i]!, width);
    // The newest line is always shown, even when it alone is taller than the room.
    if (kept.length > 0 && used + rows > maxRows - (i > 0 ? 1 : 0)) {
      kept.unshift(theme.dim(`⋮ ${i + 1} more line${i === 0 ? '' : 's'} above`));
      return kept;
    }
    kept.unshift(lines[i]!);
    used += rows;
  }
  return kept;
}

export interface InputLayout {
  /** The rows to show, each at most the text width. */
  rows: string[];
  /** Where the cursor is among `rows`. */
  cursorRow: number;
  cursorColumn: number;
}

/** The prompt's text broken into rows of `width` columns, scrolled to keep the cursor visible. */
export function layoutInput(editor: EditorState, width: number, maxRows: number): InputLayout {
  const { line: cursorLine, column } = cursorPosition(editor);
  const rows: string[] = [];
  let cursorRow = 0;
  let cursorColumn = 0;
  editor.text.split('\n').forEach((line, index) => {
    const pieces = line ? chopToWidth(line, width) : [''];
    if (index === cursorLine) {
      const before = displayWidth(line.slice(0, column));
      const row = Math.floor(before / width);
      if (row >= pieces.length) pieces.push('');
      cursorRow = rows.length + row;
      cursorColumn = before - row * width;
    }
    rows.push(...pieces);
  });
  const start = Math.min(Math.max(0, cursorRow - maxRows + 1), Math.max(0, rows.length - maxRows));
  return { rows: rows.slice(start, start + maxRows), cursorRow: cursorRow - start, cursorColumn };
}

export interface PermissionLayout {
  lines: string[];
  /** The row of the message input (after "n"), when it is shown. */
  inputRow?: number;
  inputColumn?: number;
}

const choices = '[y] yes, once   [a] always   [n] no   (Esc = no)';
const messageLabel = 'Tell the agent why (optional, Enter to skip): ';

/** The permission prompt's lines, each cut to `width`; with the message input after "n". */
export function layoutPermission(
  request: PermissionRequest,
  message: EditorState | null,
  width: number,
  theme: Theme,
  queued: number,
): PermissionLayout {
  const label = toolLabel(request.tool);
  const subject = sanitizeForTerminal(request.subject || toolSubject(request.tool, request.input));
  const title = truncateToWidth(`? Allow ${label}: ${subject}`, width);
  const oneLine = sanitizeForTerminal(request.description).replace(/\s+/g, ' ');
  const description = chopToWidth(oneLine, width).slice(0, 2);
  const more = queued > 0 ? theme.dim(` (+${queued} more waiting)`) : '';
  const lines = [theme.bold(theme.yellow(title)), ...description.map((l) => theme.dim(l))];
  if (!message) return { lines: [...lines, truncateToWidth(choices, width) + more] };
  const room = Math.max(8, width - messageLabel.length);
  const { rows, cursorColumn } = layoutInput(message, room, 1);
  const labelShown = truncateToWidth(messageLabel, width - 8);
  return {
    lines: [...lines, `${labelShown}${rows[0] ?? ''}`],
    inputRow: lines.length,
    inputColumn: displayWidth(labelShown) + cursorColumn,
  };
}

const pickerRows = 8;

/** The picker's lines: title and filter, a window of matches around the selection, a key hint. */
export function layoutPicker(picker: Picker, width: number, theme: Theme): string[] {
  const matches = pickerMatches(picker);
  const start = Math.max(0, Math.min(picker.index - pickerRows + 1, matches.length - pickerRows));
  const shown = matches.slice(start, start + pickerRows);
  const header = `${theme.bold(`Choose a ${picker.title}`)}${picker.filter ? `  filter: ${picker.filter}` : ''}`;
  const lines = shown.map((item, i) => {
    const selected = start + i === picker.index;
    const text = truncateToWidth(sanitizeForTerminal(item.label), width - 2);
    return selected ? theme.cyan(`› ${text}`) : `  ${text}`;
  });
  if (matches.length === 0) lines.push(theme.dim('  nothing matches'));
  return [
    header,
    ...lines,
    theme.dim(truncateToWidth('↑↓ move · Enter choose · type to filter · Esc cancel', width)),
  ];
}

export interface Suggestion {
  label: string;
  detail?: string;
}

const suggestionRows = 6;

/** The completion list under the input: the selected entry marked, details dimmed. */
export function layoutSuggestions(items: Suggestion[], index: number, width: number, theme: Theme): string[] {
  const start = Math.max(0, Math.min(index - suggestionRows + 1, items.length - suggestionRows));
  const labelWidth = Math.min(30, Math.max(...items.map((s) => displayWidth(s.label))));
  return items.slice(start, start + suggestionRows).map((item, i) => {
    const selected = start + i === index;
    const label = sanitizeForTerminal(item.label);
    const padded = label + ' '.repeat(Math.max(0, labelWidth - displayWidth(label)));
    const detail = item.detail ? `  ${item.detail}` : '';
    const line = truncateToWidth(`${selected ? '›' : ' '} ${padded}${detail}`, width);
    return selected ? theme.cyan(line) : theme.dim(line);
  });
}
