import { describe, expect, it } from 'vitest';
import { toolSummary } from './tool-summary.ts';

describe('toolSummary', () => {
  it('picks the field that says what the call is about', () => {
    expect(toolSummary('write', { path: 'src/App.tsx', content: '…' })).toBe('src/App.tsx');
    expect(toolSummary('exec', { command: 'npm test' })).toBe('npm test');
    expect(toolSummary('grep', { pattern: 'TODO', path: 'src' })).toBe('TODO');
    expect(toolSummary('move', { from: 'a.ts', to: 'b.ts' })).toBe('a.ts → b.ts');
    expect(toolSummary('todo', { items: [{}, {}] })).toBe('2 items');
  });

  it('says nothing for inputs it cannot read', () => {
    expect(toolSummary('list', {})).toBe('');
    expect(toolSummary('x', null)).toBe('');
    expect(toolSummary('x', 'raw')).toBe('');
  });
});
