import { describe, expect, it } from 'vitest';
import { describeClosest, findClosestRegion, formatRegion } from './closest.ts';

describe('findClosestRegion', () => {
  const file = ['a = 1', 'b = 2', 'function go() {', '  run(fast);', '}', 'c = 3'];

  it('finds the most similar window', () => {
    expect(findClosestRegion(file, ['function go() {', '  run(slow);', '}'])).toMatchObject({
      first: 2,
      last: 4,
    });
  });

  it('scores a one-line fragment by containment', () => {
    expect(findClosestRegion(file, ['run(slo'])).toMatchObject({ first: 3, last: 3 });
  });

  it('shrinks the window to the file', () => {
    expect(findClosestRegion(['x'], ['x', 'y', 'z'])).toMatchObject({ first: 0, last: 0 });
  });
});

describe('formatRegion', () => {
  it('numbers lines and elides the middle of long regions', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const text = formatRegion(lines, 0, 29);
    expect(text).toContain(' 1 | line 1');
    expect(text).toContain('30 | line 30');
    expect(text).toContain('lines omitted');
    expect(text).not.toContain('line 15\n');
  });

  it('clips very long lines', () => {
    expect(formatRegion(['x'.repeat(1000)], 0, 0)).toMatch(/… \(840 more chars\)$/);
  });
});

describe('describeClosest', () => {
  it('says so when nothing is similar', () => {
    expect(describeClosest(['aaaa', 'bbbb'], ['zzzz qqqq'])).toMatch(/No region of the file resembles/);
  });
});
