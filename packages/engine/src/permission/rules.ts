import type { PermissionRule } from '../config/index.ts';

export type PermissionAction = PermissionRule['action'];

const readOnlyTools = ['read', 'list', 'glob', 'grep', 'codebase_search', 'todo'];
const workspaceWriteTools = ['write', 'edit', 'apply_patch', 'delete', 'move'];

/**
 * Reading and editing inside the (confined) workspace is allowed; running commands, fetching the
 * web and third-party MCP tools ask first. Config rules come after these and win.
 */
export const defaultRules: PermissionRule[] = [
  { tool: '*', pattern: '*', action: 'ask' },
  ...readOnlyTools.map((tool) => ({ tool, pattern: '*', action: 'allow' as const })),
  ...workspaceWriteTools.map((tool) => ({ tool, pattern: '*', action: 'allow' as const })),
  // Aura's own config lives in .aura/: an agent must not grant itself permissions by editing it.
  ...workspaceWriteTools.flatMap((tool) => [
    { tool, pattern: '.aura', action: 'ask' as const },
    { tool, pattern: '.aura/*', action: 'ask' as const },
  ]),
  { tool: 'web_search', pattern: '*', action: 'allow' },
];

/**
 * `*` matches any run of characters (slashes included), `?` one character, `\\` escapes the next
 * character; the rest is literal.
 */
export function matchesPattern(pattern: string, subject: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && i + 1 < pattern.length) {
      i += 1;
      source += escapeRegExp(pattern[i]!);
    } else if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`).test(subject);
}

const escapeRegExp = (char: string) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern that matches exactly `subject` (for saved "always" answers). */
export function literalPattern(subject: string): string {
  return subject.replace(/[\\*?]/g, '\\$&');
}

/** The last matching rule decides, so later layers (project, saved "always" answers) override. */
export function evaluate(rules: PermissionRule[], tool: string, subject: string): PermissionAction {
  let action: PermissionAction = 'ask';
  for (const rule of rules) {
    if (matchesPattern(rule.tool, tool) && matchesPattern(rule.pattern, subject)) action = rule.action;
  }
  return action;
}
