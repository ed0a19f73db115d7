import { describe, expect, it } from 'vitest';
import { PermissionGate } from './gate.ts';
import { defaultRules, evaluate, matchesPattern } from './rules.ts';

describe('permission rules', () => {
  it('matches * across slashes and ? as one character, literally otherwise', () => {
    expect(matchesPattern('src/*', 'src/a/b.ts')).toBe(true);
    expect(matchesPattern('npm *', 'npm install')).toBe(true);
    expect(matchesPattern('npm *', 'npx something')).toBe(false);
    expect(matchesPattern('a?c', 'abc')).toBe(true);
    expect(matchesPattern('a.c', 'abc')).toBe(false);
    expect(matchesPattern('(x)+', '(x)+')).toBe(true);
  });

  it('lets the last matching rule decide', () => {
    const rules = [
      ...defaultRules,
      { tool: 'exec', pattern: 'npm *', action: 'allow' as const },
      { tool: 'exec', pattern: 'npm publish*', action: 'deny' as const },
    ];
    expect(evaluate(rules, 'exec', 'npm test')).toBe('allow');
    expect(evaluate(rules, 'exec', 'npm publish --force')).toBe('deny');
    expect(evaluate(rules, 'exec', 'curl example.com')).toBe('ask');
    expect(evaluate(rules, 'read', 'anything')).toBe('allow');
    expect(evaluate(rules, 'mcp__github__create_issue', 'x')).toBe('ask');
  });
});

describe('PermissionGate', () => {
  it('approves everything in yes mode without asking', async () => {
    const gate = new PermissionGate({
      rules: defaultRules,
      mode: 'yes',
      ask: () => Promise.reject(new Error('asked')),
    });
    expect(await gate.check('exec', {}, 'rm -rf build')).toEqual({ allowed: true });
  });

  it('keeps deny rules in yes mode: --yes answers questions, it does not lift a ban', async () => {
    const gate = new PermissionGate({
      rules: [...defaultRules, { tool: 'exec', pattern: 'git push*', action: 'deny' }],
      mode: 'yes',
      ask: () => Promise.reject(new Error('asked')),
    });
    expect(await gate.check('exec', {}, 'git push --force')).toMatchObject({ allowed: false });
    expect(await gate.check('exec', {}, 'git status')).toEqual({ allowed: true });
  });

  it('denies by rule without asking, naming the tool and subject', async () => {
    const gate = new PermissionGate({
      rules: [...defaultRules, { tool: 'exec', pattern: 'rm *', action: 'deny' }],
      mode: 'ask',
      ask: () => Promise.reject(new Error('asked')),
    });
    const decision = await gate.check('exec', {}, 'rm -rf /');
    expect(decision).toMatchObject({ allowed: false });
    expect(!decision.allowed && decision.reason).toContain('rm -rf /');
  });

  it('denies a call when any of its subjects is denied (e.g. a move destination)', async () => {
    const gate = new PermissionGate({
      rules: [...defaultRules, { tool: 'move', pattern: '.env*', action: 'deny' }],
      mode: 'ask',
      ask: () => Promise.reject(new Error('asked')),
    });
    const decision = await gate.check('move', {}, ['notes.txt', '.env']);
    expect(!decision.allowed && decision.reason).toContain('.env');
    expect(await gate.check('move', {}, ['a.txt', 'b.txt'])).toEqual({ allowed: true });
  });

  it('asks when a call names no subject at all (an unreadable patch)', async () => {
    const asked: string[] = [];
    const gate = new PermissionGate({
      rules: defaultRules,
      mode: 'ask',
      ask: async (request) => {
        asked.push(request.subject);
        return { reply: 'reject' };
      },
    });
    expect((await gate.check('apply_patch', {}, [])).allowed).toBe(false);
    expect(asked).toEqual(['(paths could not be determined)']);
  });

  it('passes a rejection message back for the model', async () => {
    const gate = new PermissionGate({
      rules: defaultRules,
      mode: 'ask',
      ask: async () => ({ reply: 'reject', message: 'use pnpm instead' }),
    });
    const decision = await gate.check('exec', {}, 'npm install');
    expect(!decision.allowed && decision.reason).toContain('use pnpm instead');
  });

  it('remembers and persists an "always" answer', async () => {
    const asked: string[] = [];
    const persisted: unknown[] = [];
    const gate = new PermissionGate({
      rules: defaultRules,
      mode: 'ask',
      ask: async (request) => {
        asked.push(request.subject);
        return { reply: 'always' };
      },
      persist: async (rule) => {
        persisted.push(rule);
      },
    });
    expect(await gate.check('exec', {}, 'npm test')).toEqual({ allowed: true });
    expect(await gate.check('exec', {}, 'npm test')).toEqual({ allowed: true });
    expect(await gate.check('exec', {}, 'npm run build')).toEqual({ allowed: true });
    expect(asked).toEqual(['npm test', 'npm run build']);
    expect(persisted).toEqual([
      { tool: 'exec', pattern: 'npm test', action: 'allow' },
      { tool: 'exec', pattern: 'npm run build', action: 'allow' },
    ]);
  });
});
