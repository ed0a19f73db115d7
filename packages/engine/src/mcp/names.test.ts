import { describe, expect, it } from 'vitest';
import { MAX_TOOL_NAME_LENGTH, modelToolNames } from './names.ts';

describe('modelToolNames', () => {
  it('prefixes tools with mcp__<server>__ and keeps allowed names as they are', () => {
    expect(modelToolNames('github', ['create_issue', 'list-prs'], new Set())).toEqual([
      'mcp__github__create_issue',
      'mcp__github__list-prs',
    ]);
  });

  it('replaces characters providers refuse', () => {
    expect(modelToolNames('fs', ['read.file', 'git/log', 'ünïcode name'], new Set())).toEqual([
      'mcp__fs__read_file',
      'mcp__fs__git_log',
      'mcp__fs___n_code_name',
    ]);
  });

  it('cuts long names to the limit and makes names that collide after cleaning unique', () => {
    const long = 'x'.repeat(100);
    const names = modelToolNames('srv', [long, `${long}y`, 'a.b', 'a/b', 'a_b'], new Set());
    expect(names.every((name) => name.length <= MAX_TOOL_NAME_LENGTH)).toBe(true);
    expect(names[0]).toBe(`mcp__srv__${'x'.repeat(54)}`);
    expect(names[1]).toBe(`mcp__srv__${'x'.repeat(52)}_2`);
    expect(names.slice(2)).toEqual(['mcp__srv__a_b', 'mcp__srv__a_b_2', 'mcp__srv__a_b_3']);
  });

  it('avoids names already taken by other servers', () => {
    const taken = new Set(['mcp__s__t']);
    expect(modelToolNames('s', ['t'], taken)).toEqual(['mcp__s__t_2']);
    expect(taken.has('mcp__s__t_2')).toBe(true);
  });
});
