import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { EditorState, type Extension } from '@codemirror/state';
import { oneDarkHighlightStyle } from '@codemirror/theme-one-dark';
import {
  crosshairCursor,
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from '@codemirror/view';

/**
 * What every editor has: line numbers, folding, undo history, bracket help, completion, search
 * (Mod-F, at the top), and several cursors: Mod-click adds one, Alt-drag selects a rectangle,
 * Mod-D selects the next occurrence. Tab indents; Escape then Tab leaves the editor.
 */
export function baseSetup(): Extension {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    foldGutter(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    autocompletion(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    keymap.of([
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...foldKeymap,
      ...completionKeymap,
      indentWithTab,
    ]),
  ];
}

const shared = {
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-gutters': { borderRight: 'none' },
  '.cm-panels': { fontFamily: 'var(--font-sans)', fontSize: '12px' },
  '.cm-panel.cm-search': { padding: '6px 8px' },
  '.cm-panel.cm-search input, .cm-panel.cm-search button': { borderRadius: '6px', fontSize: '12px' },
};

/** The app's zinc greys, so the editor sits in the page instead of on top of it. */
const light = EditorView.theme(
  {
    ...shared,
    '&': { ...shared['&'], backgroundColor: '#ffffff', color: '#18181b' },
    '.cm-gutters': { ...shared['.cm-gutters'], backgroundColor: '#ffffff', color: '#a1a1aa' },
    '.cm-activeLine': { backgroundColor: '#f4f4f5' },
    '.cm-activeLineGutter': { backgroundColor: '#f4f4f5', color: '#52525b' },
    '.cm-panels': { ...shared['.cm-panels'], backgroundColor: '#fafafa', color: '#27272a' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: '#c7d2fe' },
  },
  { dark: false },
);

const dark = EditorView.theme(
  {
    ...shared,
    '&': { ...shared['&'], backgroundColor: '#09090b', color: '#e4e4e7' },
    '.cm-content': { caretColor: '#a5b4fc' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#a5b4fc' },
    '.cm-gutters': { ...shared['.cm-gutters'], backgroundColor: '#09090b', color: '#52525b' },
    '.cm-activeLine': { backgroundColor: '#18181b' },
    '.cm-activeLineGutter': { backgroundColor: '#18181b', color: '#a1a1aa' },
    '.cm-panels': { ...shared['.cm-panels'], backgroundColor: '#18181b', color: '#e4e4e7' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
      backgroundColor: '#3730a3',
    },
    '.cm-searchMatch': { backgroundColor: '#854d0e80' },
    '.cm-selectionMatch': { backgroundColor: '#3f3f4680' },
    '.cm-tooltip': { backgroundColor: '#18181b', border: '1px solid #3f3f46' },
    '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: '#3730a3' },
  },
  { dark: true },
);

export function themeFor(isDark: boolean): Extension {
  return isDark
    ? [dark, syntaxHighlighting(oneDarkHighlightStyle)]
    : [light, syntaxHighlighting(defaultHighlightStyle, { fallback: true })];
}
