import { describe, expect, it } from 'vitest';
import { formatBytes, formatCost, formatDuration, formatTokens } from './format.ts';

describe('formatDuration', () => {
  it('uses ms, then seconds, then minutes', () => {
    expect(formatDuration(6)).toBe('6 ms');
    expect(formatDuration(1_250)).toBe('1.3 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});

describe('formatBytes', () => {
  it('picks the unit', () => {
    expect(formatBytes(120)).toBe('120 B');
    expect(formatBytes(2011)).toBe('2.0 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});

describe('formatTokens', () => {
  it('shortens thousands and millions without trailing zeros', () => {
    expect(formatTokens(0)).toBe('0');
    expect(formatTokens(950)).toBe('950');
    expect(formatTokens(1_000)).toBe('1k');
    expect(formatTokens(7_510)).toBe('7.51k');
    expect(formatTokens(12_345)).toBe('12.3k');
    expect(formatTokens(2_500_000)).toBe('2.5M');
  });
});

describe('formatCost', () => {
  it('shows small amounts with enough digits and unknown prices as unknown', () => {
    expect(formatCost(null)).toBe('cost unknown');
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(0.00004)).toBe('<$0.0001');
    expect(formatCost(0.0042)).toBe('$0.0042');
    expect(formatCost(1.5)).toBe('$1.50');
    expect(formatCost(1234.4)).toBe('$1,234');
  });
});
