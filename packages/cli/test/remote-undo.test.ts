import { describe, expect, it } from 'vitest';
import { type CheckpointSummary, planUndo } from '../src/chat/remote-undo.ts';

const turn = (id: string, sessionId = 'ses_me'): CheckpointSummary => ({
  id,
  message: `turn ${id}`,
  sessionId,
  runId: `run_${id}`,
  restoredFrom: null,
});
const other = (id: string, message = 'Changes made outside the agent'): CheckpointSummary => ({
  id,
  message,
  sessionId: null,
  runId: null,
  restoredFrom: null,
});
const restore = (id: string, from: string): CheckpointSummary => ({
  ...other(id, `Restored ${from}`),
  restoredFrom: from,
});

describe('planUndo (newest checkpoint first)', () => {
  it("restores the checkpoint before the session's last turn", () => {
    const list = [turn('t2'), other('o1'), turn('t1'), other('init', 'Initial state')];
    expect(planUndo(list, 'ses_me')).toEqual({ turn: list[0], restoreTo: list[1] });
  });

  it('undoes the turn before once the last one was undone, and so on back to the first', () => {
    const base = [turn('t2'), turn('t1'), other('init', 'Initial state')];
    const afterOne = [restore('r1', 't1'), ...base];
    expect(planUndo(afterOne, 'ses_me')).toEqual({ turn: base[1], restoreTo: base[2] });
    const afterTwo = [restore('r2', 'init'), ...afterOne];
    expect(planUndo(afterTwo, 'ses_me')).toBeUndefined();
  });

  it('skips turns of other sessions, and a newer turn after an undo is undone first', () => {
    const list = [
      turn('t3'),
      restore('r1', 't1'),
      turn('x1', 'ses_other'),
      turn('t2'),
      turn('t1'),
      other('init'),
    ];
    expect(planUndo(list, 'ses_me')).toEqual({ turn: list[0], restoreTo: list[1] });
    expect(planUndo(list.slice(1), 'ses_me')).toEqual({ turn: list[4], restoreTo: list[5] });
  });

  it("follows an undo that sits below another session's newer turn, instead of undoing the same turn twice", () => {
    const list = [turn('x1', 'ses_other'), restore('r1', 't1'), turn('t2'), turn('t1'), other('init')];
    expect(planUndo(list, 'ses_me')).toEqual({ turn: list[3], restoreTo: list[4] });
  });

  it('finds nothing without a turn, without a checkpoint before it, or with a restore it cannot follow', () => {
    expect(planUndo([], 'ses_me')).toBeUndefined();
    expect(planUndo([other('init')], 'ses_me')).toBeUndefined();
    expect(planUndo([turn('t1')], 'ses_me')).toBeUndefined();
    expect(planUndo([restore('r1', 'gone'), turn('t1'), other('init')], 'ses_me')).toBeUndefined();
    // A restore pointing at a newer checkpoint is not something a server writes: refused, not looped on.
    const loop = [restore('r1', 'r2'), restore('r2', 'r1'), turn('t1'), other('init')];
    expect(planUndo(loop, 'ses_me')).toBeUndefined();
  });
});
