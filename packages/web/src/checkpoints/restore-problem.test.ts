import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.ts';
import { restoreProblem } from './restore-problem.ts';

describe('restoreProblem', () => {
  it('says to stop or wait for the run when the server refuses during one', () => {
    const error = new ApiError(409, 'run_active', 'A run is in progress in this project.');
    expect(restoreProblem(error)).toMatch(/Stop the run, or wait for it to finish, then restore/);
  });

  it('explains a checkpoint that is gone', () => {
    expect(restoreProblem(new ApiError(404, 'not_found', 'Checkpoint not found.'))).toMatch(
      /no longer exists/,
    );
  });

  it('passes other problems through', () => {
    expect(restoreProblem(new ApiError(0, 'network', 'Cannot reach the Aura server.'))).toBe(
      'Cannot reach the Aura server.',
    );
    expect(restoreProblem('odd')).toBe('odd');
  });
});
