import type { EventEnvelope } from '@aura/protocol';
import { describe, expect, it } from 'vitest';
import { chatReducer, initialChatState } from '../src/tui/chat-state.ts';
import { layoutInput, layoutPermission, layoutPicker, rowsOf, tailToRows } from '../src/tui/layout.ts';
import { displayWidth } from '../src/tui/md-width.ts';
import { openPicker } from '../src/tui/picker.ts';
import { layoutScreen, type ScreenInput } from '../src/tui/screen.ts';
import { compactCount, formatStatusLine, type StatusInfo, shortLocation } from '../src/tui/status-line.ts';
import { createTheme } from '../src/tui/theme.ts';
import { sessionInfo } from './tui-harness.ts';

const plain = createTheme(false);
const info: StatusInfo = {
  model: 'anthropic/claude-sonnet-4-5',
  scripted: false,
  sessionId: 'ses_0123456789abcdef',
  title: 'Add a dark mode toggle to the settings page',
  inputTokens: 12_345,
  outputTokens: 678,
  costUsd: 0.0421,
  activity: 'running exec',
  location: '/home/ada/projects/shop',
};

describe('status line', () => {
  it('shows model, session, tokens, cost, state and place when there is room', () => {
    expect(formatStatusLine(info, 200, plain, '/home/ada')).toBe(
      'anthropic/claude-sonnet-4-5 · 89abcdef Add a dark mode toggle to the settings page · 12k in / 678 out · $0.0421 · running exec · ~/projects/shop',
    );
  });

  it('drops the location, then the provider, then shortens the title, keeping the state', () => {
    expect(formatStatusLine(info, 130, plain, '/home/ada')).toBe(
      'anthropic/claude-sonnet-4-5 · 89abcdef Add a dark mode toggle to the settings page · 12k in / 678 out · $0.0421 · running exec',
    );
    expect(formatStatusLine(info, 110, plain, '/home/ada')).toBe(
      'claude-sonnet-4-5 · 89abcdef Add a dark mode toggle to the settin… · 12k in / 678 out · $0.0421 · running exec',
    );
    expect(formatStatusLine(info, 80, plain, '/home/ada')).toBe(
      'claude-sonnet-4-5 · 89abcdef · 12k in / 678 out · $0.0421 · running exec',
    );
  });

  it('still shows the state in a narrow terminal', () => {
    for (const width of [60, 40]) {
      const line = formatStatusLine(info, width, plain);
      expect(displayWidth(line)).toBeLessThanOrEqual(width);
      expect(line).toContain('running exec');
    }
  });

  it('labels a scripted model and an unknown price', () => {
    const line = formatStatusLine(
      { ...info, model: 'demo/replay', scripted: true, costUsd: null },
      200,
      plain,
    );
    expect(line).toContain('demo/replay (scripted)');
    expect(line).toContain('$ n/a');
    const script = formatStatusLine({ ...info, model: 'script:demo.json', scripted: true }, 200, plain);
    expect(script).toMatch(/^script:demo\.json · /);
  });

  it('formats counts and places compactly', () => {
    expect([compactCount(999), compactCount(1234), compactCount(45_678), compactCount(2_500_000)]).toEqual([
      '999',
      '1.2k',
      '46k',
      '2.5M',
    ]);
    expect(shortLocation('https://aura.example.com:8443/', undefined)).toBe('aura.example.com:8443');
    expect(shortLocation('/home/ada/x', '/home/ada')).toBe('~/x');
    expect(shortLocation('/home/adam/x', '/home/ada')).toBe('/home/adam/x');
  });
});

describe('screen layout', () => {
  it('keeps the last lines of the live turn that fit, with a marker for the rest', () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const shown = tailToRows(text, 80, 5, plain);
    expect(shown).toEqual(['⋮ 26 more lines above', 'line 26', 'line 27', 'line 28', 'line 29']);
    expect(tailToRows('a\nb', 80, 5, plain)).toEqual(['a', 'b']);
    // A line wider than the terminal takes several rows.
    expect(rowsOf('x'.repeat(170), 80)).toBe(3);
    expect(tailToRows(`top\n${'x'.repeat(170)}`, 80, 4, plain)).toEqual(['top', 'x'.repeat(170)]);
    // The newest line shows even when it alone is taller than the room.
    expect(tailToRows(`top\n${'x'.repeat(170)}`, 80, 2, plain)).toEqual([
      '⋮ 1 more line above',
      'x'.repeat(170),
    ]);
  });

  it('wraps the prompt into rows and knows where the cursor is', () => {
    const layout = layoutInput({ text: 'abcdefghij\nxy', cursor: 7 }, 4, 10);
    expect(layout.rows).toEqual(['abcd', 'efgh', 'ij', 'xy']);
    expect([layout.cursorRow, layout.cursorColumn]).toEqual([1, 3]);
    // A cursor after a full row sits at the start of the next one.
    const full = layoutInput({ text: 'abcd', cursor: 4 }, 4, 10);
    expect(full.rows).toEqual(['abcd', '']);
    expect([full.cursorRow, full.cursorColumn]).toEqual([1, 0]);
    // Wide characters take two columns.
    expect(layoutInput({ text: '日本語', cursor: 2 }, 10, 1).cursorColumn).toBe(4);
  });

  it('scrolls a long prompt to keep the cursor in view', () => {
    const text = Array.from({ length: 10 }, (_, i) => `row ${i}`).join('\n');
    const atEnd = layoutInput({ text, cursor: text.length }, 20, 3);
    expect(atEnd.rows).toEqual(['row 7', 'row 8', 'row 9']);
    expect(atEnd.cursorRow).toBe(2);
    const atStart = layoutInput({ text, cursor: 0 }, 20, 3);
    expect(atStart.rows[0]).toBe('row 0');
    expect(atStart.cursorRow).toBe(0);
  });

  it('asks for permission with what is asked, and a message line after "no"', () => {
    const request = {
      requestId: 'p',
      tool: 'exec',
      input: { command: 'rm -rf build' },
      subject: 'rm -rf build',
      description: 'Run the command "rm -rf build" in the workspace',
    };
    const asking = layoutPermission(request, null, 78, plain, 1);
    expect(asking.lines).toEqual([
      '? Allow exec: rm -rf build',
      'Run the command "rm -rf build" in the workspace',
      '[y] yes, once   [a] always   [n] no   (Esc = no) (+1 more waiting)',
    ]);
    const explaining = layoutPermission(request, { text: 'use make clean', cursor: 14 }, 78, plain, 0);
    expect(explaining.lines.at(-1)).toBe('Tell the agent why (optional, Enter to skip): use make clean');
    expect(explaining.inputRow).toBe(2);
    expect(explaining.inputColumn).toBe(46 + 14);
  });

  it('lists picker entries around the selection, filtered by what was typed', () => {
    const picker = openPicker(
      'model',
      ['openai/gpt-5', 'anthropic/claude-sonnet-4-5', 'openai/gpt-5-mini'].map((m) => ({
        label: m,
        value: m,
      })),
    );
    const lines = layoutPicker({ ...picker, filter: 'gpt', index: 1 }, 60, plain);
    expect(lines).toEqual([
      'Choose a model  filter: gpt',
      '  openai/gpt-5',
      '› openai/gpt-5-mini',
      '↑↓ move · Enter choose · type to filter · Esc cancel',
    ]);
  });

  it('puts the cursor in the prompt under the live turn, and never fills the screen', () => {
    const streaming = (text: string) =>
      chatReducer(initialChatState(sessionInfo(), []), {
        type: 'event',
        event: {
          seq: 1,
          sessionId: sessionInfo().id,
          ts: 0,
          type: 'text_delta',
          data: { messageId: 'a', delta: text },
        } as EventEnvelope,
      });
    const input: ScreenInput = {
      state: streaming('one\n\ntwo'),
      editor: { text: 'hello', cursor: 5 },
      columns: 80,
      rows: 24,
      theme: plain,
      picker: null,
      suggestions: null,
      hint: null,
      activity: 'writing',
      location: '/work/demo',
    };
    const screen = layoutScreen(input);
    // A blank line, "one", a blank line, "two"; then the box's top border; then the prompt row.
    expect(screen.liveLines.map((l) => l.trimEnd())).toEqual(['', '  one', '', '  two']);
    expect(screen.cursor).toEqual({ x: 4 + 5, y: 4 + 1 });
    expect(screen.panelLines).toEqual(['❯ hello']);

    const long = layoutScreen({
      ...input,
      state: streaming(Array.from({ length: 80 }, (_, i) => `l${i}`).join('\n\n')),
      hint: 'a hint',
    });
    const height = long.liveLines.length + long.panelLines.length + 2 + long.hintLines.length + 1;
    expect(height).toBeLessThan(24);
    expect(long.liveLines.at(-1)).toBe('  l79');
  });
});
