import { describe, expect, it } from 'vitest';
import { emptySessionView, type SessionView } from '../state/session-view.ts';
import { agentMarks, writingFiles } from './agent-marks.ts';

const run = (runId: string): SessionView['run'] => ({
  runId,
  model: 'm',
  mode: 'chat',
  maxSteps: 15,
  status: 'running',
  steps: 0,
  error: null,
});

describe('agent marks', () => {
  it('marks files being written by a tool call or streamed by the builder, with their folders', () => {
    const view: SessionView = {
      ...emptySessionView,
      fileWrites: { t1: 'src/App.tsx' },
      files: {
        'src/ui/Card.tsx': { path: 'src/ui/Card.tsx', status: 'writing', content: '', bytes: null },
        'index.html': { path: 'index.html', status: 'written', content: null, bytes: 10 },
      },
    };
    expect(writingFiles(view).sort()).toEqual(['src/App.tsx', 'src/ui/Card.tsx']);
    expect([...agentMarks(view).writing].sort()).toEqual(['src', 'src/App.tsx', 'src/ui', 'src/ui/Card.tsx']);
  });

  it('marks what the latest run changed, not what earlier runs did, nor deleted files', () => {
    const view: SessionView = {
      ...emptySessionView,
      run: run('r2'),
      fileChanges: [
        { seq: 1, runId: 'r1', kind: 'written', path: 'old.ts' },
        { seq: 5, runId: 'r2', kind: 'written', path: 'lib/a.ts' },
        { seq: 6, runId: 'r2', kind: 'moved', path: 'b.ts', to: 'c.ts' },
        { seq: 7, runId: 'r2', kind: 'deleted', path: 'd.ts' },
        { seq: 8, runId: 'r2', kind: 'unknown' },
      ],
    };
    expect([...agentMarks(view).changed].sort()).toEqual(['c.ts', 'lib', 'lib/a.ts']);
  });

  it('marks nothing before any run', () => {
    expect(agentMarks(emptySessionView)).toEqual({ writing: new Set(), changed: new Set() });
  });
});
