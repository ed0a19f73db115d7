import { type EditorState, RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView } from '@codemirror/view';

/** How long the lines the agent changed stay lit after a reload. */
export const FLASH_MS = 2_000;
/** A rewrite of a whole big file would light everything: only the first lines are marked. */
const MAX_FLASH_LINES = 400;

/** Lights the lines of a range, or puts the light out (null). */
export const flashRange = StateEffect.define<{ from: number; to: number } | null>();

function lineMarks(state: EditorState, from: number, to: number): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  const first = state.doc.lineAt(from).number;
  // An insertion of whole lines ends at the start of the next line, which it did not change.
  const end = to > from && state.doc.lineAt(to).from === to ? to - 1 : to;
  const last = Math.min(state.doc.lineAt(end).number, first + MAX_FLASH_LINES - 1);
  for (let number = first; number <= last; number++)
    builder.add(state.doc.line(number).from, state.doc.line(number).from, mark);
  return builder.finish();
}

const mark = Decoration.line({ class: 'cm-agent-flash' });

const flashField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = marks.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (effect.is(flashRange))
        next = effect.value
          ? lineMarks(transaction.state, effect.value.from, effect.value.to)
          : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export const agentFlash = [
  flashField,
  EditorView.baseTheme({
    '.cm-agent-flash': { animation: `cm-agent-flash ${FLASH_MS}ms ease-out` },
    '@keyframes cm-agent-flash': {
      from: { backgroundColor: '#818cf866' },
      to: { backgroundColor: 'transparent' },
    },
  }),
];
