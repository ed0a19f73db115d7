import { describe, expect, it } from 'vitest';
import { defaultRules, evaluate } from '../permission/index.ts';

describe('permission rules for MCP tools', () => {
  it('ask by default, whatever the server claims about the tool', () => {
    expect(evaluate(defaultRules, 'mcp__fixture__echo', 'echo {"text":"hi"}')).toBe('ask');
    expect(evaluate(defaultRules, 'mcp__files__read', 'read {"path":"/etc/passwd"}')).toBe('ask');
  });

  it('match a whole server with a tool glob, and single calls with a subject pattern', () => {
    const rules = [
      ...defaultRules,
      { tool: 'mcp__github__*', pattern: '*', action: 'allow' as const },
      { tool: 'mcp__github__delete_repo', pattern: '*', action: 'deny' as const },
      { tool: 'mcp__fixture__echo', pattern: 'echo {"text":"safe*', action: 'allow' as const },
    ];
    expect(evaluate(rules, 'mcp__github__create_issue', 'create_issue {}')).toBe('allow');
    expect(evaluate(rules, 'mcp__github__delete_repo', 'delete_repo {"name":"x"}')).toBe('deny');
    expect(evaluate(rules, 'mcp__githubx__create_issue', 'create_issue {}')).toBe('ask');
    expect(evaluate(rules, 'mcp__fixture__echo', 'echo {"text":"safe words"}')).toBe('allow');
    expect(evaluate(rules, 'mcp__fixture__echo', 'echo {"text":"other"}')).toBe('ask');
  });
});
