import type { ChatState, PermissionRequest } from './chat-state.ts';
import {
  layoutInput,
  layoutPermission,
  layoutPicker,
  layoutSuggestions,
  rowsOf,
  type Suggestion,
  tailToRows,
} from './layout.ts';
import type { EditorState } from './line-editor.ts';
import { truncateToWidth } from './md-width.ts';
import type { Picker } from './picker.ts';
import { type RenderContext, renderItem, withSpacing } from './render-item.ts';
import { formatStatusLine } from './status-line.ts';
import type { Theme } from './theme.ts';
import type { Item } from './transcript.ts';

const placeholder = 'Message the agent · / commands · @ attach a file · ! shell';

export interface ScreenInput {
  state: ChatState;
  editor: EditorState;
  columns: number;
  rows: number;
  theme: Theme;
  /** The permission question shown, how many more wait, and the message typed after "n". */
  permission?: { request: PermissionRequest; waiting: number; message: EditorState | null };
  picker: Picker | null;
  suggestions: { items: Suggestion[]; index: number } | null;
  hint: string | null;
  activity: string;
  location: string;
  home?: string;
}

/** Everything below the printed transcript, line by line, and where the cursor goes. */
export interface Screen {
  width: number;
  /** The live turn's text, whole (what stays on screen when leaving). */
  liveText: string;
  /** The part of it that fits. */
  liveLines: string[];
  /** The prompt, the permission prompt or the picker. */
  panelLines: string[];
  bordered: boolean;
  suggestionLines: string[];
  hintLines: string[];
  status: string;
  /** From the top of the live area; absent when no text is being typed. */
  cursor?: { x: number; y: number };
}

/**
 * Lays the screen out from the bottom up: status line, hint, completion list, the panel, then
 * the live turn in the rows left, so the whole never fills the terminal (a full frame makes Ink
 * clear the screen on every update).
 */
export function layoutScreen(input: ScreenInput): Screen {
  const { state, theme, rows } = input;
  const width = Math.max(20, input.columns);
  const status = formatStatusLine(
    {
      model: state.session.model,
      scripted: state.scripted,
      sessionId: state.session.id,
      title: state.session.title,
      inputTokens: state.session.usage.inputTokens,
      outputTokens: state.session.usage.outputTokens,
      costUsd: state.session.usage.costUsd,
      activity: input.activity,
      location: input.location,
    },
    width,
    theme,
    input.home,
  );
  const hintLines = input.hint ? [theme.yellow(truncateToWidth(input.hint, width))] : [];
  const suggestionLines = input.suggestions
    ? layoutSuggestions(input.suggestions.items, input.suggestions.index, width, theme)
    : [];

  // Inside the panel's border and one column of padding on each side.
  const innerWidth = width - 4;
  let panelLines: string[];
  let bordered = true;
  let panelCursor: { x: number; y: number } | undefined;
  if (input.permission) {
    const { request, message, waiting } = input.permission;
    const layout = layoutPermission(request, message, innerWidth, theme, waiting);
    panelLines = layout.lines;
    if (layout.inputRow !== undefined) panelCursor = { x: 2 + (layout.inputColumn ?? 0), y: layout.inputRow };
  } else if (input.picker) {
    panelLines = layoutPicker(input.picker, width, theme);
    bordered = false;
  } else {
    const maxInputRows = Math.max(1, Math.min(8, Math.floor(rows / 3)));
    const prompt = layoutInput(input.editor, innerWidth - 2, maxInputRows);
    panelLines = input.editor.text
      ? prompt.rows.map((row, i) => `${i === 0 ? theme.cyan('❯') : ' '} ${row}`)
      : [`${theme.cyan('❯')} ${theme.dim(truncateToWidth(placeholder, innerWidth - 2))}`];
    panelCursor = { x: 2 + 2 + prompt.cursorColumn, y: prompt.cursorRow };
  }

  const panelHeight = panelLines.length + (bordered ? 2 : 0);
  const reserved = panelHeight + suggestionLines.length + hintLines.length + 1 + 1;
  const ctx = { width, theme };
  const liveText = state.transcript.live.map((item) => renderLiveItem(item, ctx)).join('\n');
  const liveLines = liveText ? tailToRows(liveText, width, Math.max(3, rows - reserved), theme) : [];
  const liveRows = liveLines.reduce((sum, line) => sum + rowsOf(line, width), 0);
  // The panel's top border is the first row below the live area.
  const cursor = panelCursor && { x: panelCursor.x, y: liveRows + 1 + panelCursor.y };
  return { width, liveText, liveLines, panelLines, bordered, suggestionLines, hintLines, status, cursor };
}

/**
 * Live items as rendered, by identity: the transcript replaces an item when it changes, never
 * edits it, so a keystroke or a cursor move renders no markdown again, only a streamed delta does.
 */
const renderedItems = new WeakMap<Item, { ctx: RenderContext; text: string }>();

function renderLiveItem(item: Item, ctx: RenderContext): string {
  const cached = renderedItems.get(item);
  if (cached && cached.ctx.width === ctx.width && cached.ctx.theme === ctx.theme) return cached.text;
  const text = withSpacing(item, renderItem(item, ctx));
  renderedItems.set(item, { ctx, text });
  return text;
}
