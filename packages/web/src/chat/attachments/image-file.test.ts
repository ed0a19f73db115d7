import { describe, expect, it } from 'vitest';
import { fitWithin } from './image-file.ts';

describe('fitWithin', () => {
  it('scales the longer side down to the limit, keeping the aspect ratio', () => {
    expect(fitWithin(3136, 1568, 1568)).toEqual({ width: 1568, height: 784 });
    expect(fitWithin(1000, 4000, 1568)).toEqual({ width: 392, height: 1568 });
  });

  it('never scales up, and never to nothing', () => {
    expect(fitWithin(640, 480, 1568)).toEqual({ width: 640, height: 480 });
    expect(fitWithin(10_000, 1, 100)).toEqual({ width: 100, height: 1 });
  });
});
