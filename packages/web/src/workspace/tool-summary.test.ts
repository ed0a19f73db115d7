import { describe, expect, it } from 'vitest';
import { toolOutcome, toolSummary, toolTitle } from './tool-summary.ts';

describe('toolSummary', () => {
  it('picks the field that says what the call is about', () => {
    expect(toolSummary('write', { path: 'src/App.tsx', content: '…' })).toBe('src/App.tsx');
    expect(toolSummary('exec', { command: 'npm test' })).toBe('npm test');
    expect(toolSummary('grep', { pattern: 'TODO', path: 'src' })).toBe('TODO');
    expect(toolSummary('move', { from: 'a.ts', to: 'b.ts' })).toBe('a.ts → b.ts');
    expect(toolSummary('todo', { items: [{}, {}] })).toBe('2 items');
  });

  it('names the files a patch touches, deleted ones included', () => {
    const patch = [
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -1 +1 @@',
      '-x',
      '+y',
      '--- a/old.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
    ].join('\n');
    expect(toolSummary('apply_patch', { patch })).toBe('src/a.ts, old.txt');
  });

  it('says nothing for inputs it cannot read', () => {
    expect(toolSummary('list', {})).toBe('');
    expect(toolSummary('x', null)).toBe('');
    expect(toolSummary('x', 'raw')).toBe('');
  });
});

describe('toolTitle', () => {
  it('reads MCP tool names as server and tool', () => {
    expect(toolTitle('mcp__github__create_issue')).toBe('github · create_issue');
    expect(toolTitle('edit')).toBe('edit');
  });
});

describe('toolOutcome', () => {
  const call = { tool: 'read', status: 'completed' as const, output: 'ok', metadata: null };

  it('gives the first line of a failure, shortened', () => {
    expect(toolOutcome({ ...call, status: 'error', output: '\nThe path does not exist.\nMore.' })).toBe(
      'The path does not exist.',
    );
    const long = toolOutcome({ ...call, status: 'error', output: 'x'.repeat(500) });
    expect(long).toHaveLength(140);
    expect(long?.endsWith('…')).toBe(true);
    expect(toolOutcome({ ...call, status: 'error', output: null })).toBe('Failed.');
  });

  it('gives a command its exit code and says when a call was cut off', () => {
    expect(toolOutcome({ ...call, tool: 'exec', metadata: { exitCode: 0 } })).toBe('exit 0');
    expect(toolOutcome({ ...call, status: 'interrupted' })).toBe('Interrupted before it finished.');
    expect(toolOutcome(call)).toBeNull();
  });
});
