import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { agentFlash, FLASH_MS, flashRange } from './agent-flash.ts';
import { baseSetup, themeFor } from './editor-setup.ts';
import { languageSupport } from './language-support.ts';
import { languageOf } from './languages.ts';
import type { Tab } from './tabs.ts';
import { lineBreakOf, reloadChange } from './text-change.ts';
import { type Reveal, workbench } from './workbench.ts';

export interface CodeEditorProps {
  /** A text tab that has loaded (`base` is set); the component is keyed by its id. */
  tab: Tab;
  visible: boolean;
  dark: boolean;
  reveal: Reveal | null;
}

const labelFor = (path: string) => EditorView.contentAttributes.of({ 'aria-label': `Contents of ${path}` });

/** CodeMirror counts a line break as one character whatever it is: lengths compare for "\n" only. */
const differs = (state: EditorState, base: string) =>
  (state.lineBreak === '\n' && state.doc.length !== base.length) || state.sliceDoc() !== base;

/**
 * One tab's CodeMirror view. It lives as long as its tab, hidden while another tab shows, so
 * undo history, selection and scroll survive switching tabs.
 */
export default function CodeEditor({ tab, visible, dark, reveal }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const base = useRef(tab.base ?? '');
  const lineBreak = useRef(lineBreakOf(base.current)).current;
  const shownReloads = useRef(tab.reloads);
  const compartments = useRef({
    theme: new Compartment(),
    language: new Compartment(),
    label: new Compartment(),
  }).current;
  const tabId = tab.id;

  const reportDirty = (state: EditorState) =>
    workbench.dispatch({ type: 'edited', id: tabId, dirty: differs(state, base.current) });

  // biome-ignore lint/correctness/useExhaustiveDependencies: the view is made once per tab; later props arrive through the effects below
  useEffect(() => {
    const parent = host.current;
    if (!parent) return;
    const editor = new EditorView({
      parent,
      state: EditorState.create({
        doc: base.current,
        extensions: [
          baseSetup(),
          agentFlash,
          lineBreak ? EditorState.lineSeparator.of(lineBreak) : [],
          compartments.theme.of(themeFor(dark)),
          compartments.language.of([]),
          compartments.label.of(labelFor(tab.path)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) reportDirty(update.state);
          }),
        ],
      }),
    });
    view.current = editor;
    const forget = workbench.registerText(tabId, () => editor.state.sliceDoc());
    return () => {
      forget();
      editor.destroy();
      view.current = null;
    };
  }, [tabId]);

  // New text from disk: replace only what changed, so the cursor and undo history survive, and
  // light up the lines when the agent (or a restore) changed them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reportDirty reads refs only
  useEffect(() => {
    const editor = view.current;
    if (!editor || tab.base === null) return;
    base.current = tab.base;
    if (tab.reloads !== shownReloads.current) {
      shownReloads.current = tab.reloads;
      const change = reloadChange(editor.state.doc.toString(), tab.base, lineBreak);
      const changes = editor.state.changes(change);
      const lit = tab.reloadReason === 'agent' || tab.reloadReason === 'restore';
      const litTo = changes.mapPos(change.to, 1);
      editor.dispatch({ changes, effects: lit ? flashRange.of({ from: change.from, to: litTo }) : [] });
      if (lit) setTimeout(() => view.current?.dispatch({ effects: flashRange.of(null) }), FLASH_MS);
    }
    reportDirty(editor.state);
  }, [tab.base, tab.reloads, tab.reloadReason]);

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.theme.reconfigure(themeFor(dark)) });
  }, [dark, compartments]);

  // A renamed file keeps its editor: its language and label follow the new name.
  useEffect(() => {
    view.current?.dispatch({ effects: compartments.label.reconfigure(labelFor(tab.path)) });
    const id = languageOf(tab.path);
    let current = true;
    if (!id) view.current?.dispatch({ effects: compartments.language.reconfigure([]) });
    else
      void languageSupport(id).then((support) => {
        if (current) view.current?.dispatch({ effects: compartments.language.reconfigure(support) });
      });
    return () => {
      current = false;
    };
  }, [tab.path, compartments]);

  // A hidden editor could not measure itself.
  useEffect(() => {
    if (visible) view.current?.requestMeasure();
  }, [visible]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || !reveal || reveal.tabId !== tabId) return;
    const line = editor.state.doc.line(Math.min(Math.max(1, reveal.line), editor.state.doc.lines));
    editor.dispatch({
      selection: { anchor: line.from },
      effects: EditorView.scrollIntoView(line.from, { y: 'center' }),
    });
    editor.focus();
  }, [reveal, tabId]);

  return <div ref={host} hidden={!visible} className="absolute inset-0 [&_.cm-editor]:h-full" />;
}
