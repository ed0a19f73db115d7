import { describe, expect, it } from 'vitest';
import { PermissionGate } from './gate.ts';
import { defaultRules } from './rules.ts';
import { shellSegments } from './shell-segments.ts';

describe('shellSegments', () => {
  const cases: [string, string[]][] = [
    ['npm test', ['npm test']],
    ['npm --version && echo X > chained.txt', ['npm --version', 'echo X > chained.txt']],
    ['true; rm -rf sub', ['true', 'rm -rf sub']],
    ['a || b | c', ['a', 'b', 'c']],
    ['sleep 1 & curl x', ['sleep 1', 'curl x']],
    ['echo "a && b; c"', ['echo "a && b; c"']],
    ["echo 'x | y'", ["echo 'x | y'"]],
    ['npm run $(curl evil)', ['curl evil', 'npm run …']],
    ['echo "`whoami`"', ['whoami', 'echo "…"']],
    ['(cd sub && make)', ['cd sub', 'make']],
    ['ls 2>&1 | head', ['ls 2>&1', 'head']],
    ['echo a\\;b', ['echo a\\;b']],
    ['line1\nline2', ['line1', 'line2']],
  ];
  for (const [command, expected] of cases) {
    it(JSON.stringify(command), () => {
      expect(shellSegments(command).sort()).toEqual([...expected].sort());
    });
  }
});

describe('exec rules apply to every segment', () => {
  const gate = () =>
    new PermissionGate({
      rules: [
        ...defaultRules,
        { tool: 'exec', pattern: 'npm *', action: 'allow' },
        { tool: 'exec', pattern: 'rm -rf*', action: 'deny' },
      ],
      mode: 'ask',
      ask: async () => ({ reply: 'reject', message: 'asked' }),
    });

  it('asks when an allowed command is chained with another', async () => {
    const decision = await gate().check('exec', {}, shellSegments('npm --version && echo X > chained.txt'));
    expect(decision).toMatchObject({ allowed: false, reason: expect.stringContaining('asked') });
  });

  it('denies when any segment is denied', async () => {
    const decision = await gate().check('exec', {}, shellSegments('true; rm -rf sub'));
    expect(decision).toMatchObject({ allowed: false, reason: expect.stringContaining('rm -rf sub') });
  });

  it('allows when every segment is allowed', async () => {
    expect(await gate().check('exec', {}, shellSegments('npm ci && npm test'))).toEqual({ allowed: true });
  });
});

describe('protected Aura config', () => {
  it('asks before the agent writes .aura/ even though workspace writes are allowed', async () => {
    const asked: string[] = [];
    const gate = new PermissionGate({
      rules: defaultRules,
      mode: 'ask',
      ask: async (request) => {
        asked.push(request.subject);
        return { reply: 'reject' };
      },
    });
    expect(await gate.check('write', {}, 'src/app.ts')).toEqual({ allowed: true });
    expect((await gate.check('write', {}, '.aura/config.yaml')).allowed).toBe(false);
    expect((await gate.check('move', {}, ['x.yaml', '.aura'])).allowed).toBe(false);
    expect(asked).toEqual(['.aura/config.yaml', 'x.yaml, .aura']);
  });

  it('saves "always" answers as literal patterns', async () => {
    const saved: string[] = [];
    const gate = new PermissionGate({
      rules: defaultRules,
      mode: 'ask',
      ask: async () => ({ reply: 'always' }),
      persist: async (rule) => {
        saved.push(rule.pattern);
      },
    });
    await gate.check('exec', {}, 'ls *.txt');
    expect(saved).toEqual(['ls \\*.txt']);
    const again: string[] = [];
    const reuse = new PermissionGate({
      rules: [...defaultRules, { tool: 'exec', pattern: saved[0]!, action: 'allow' }],
      mode: 'ask',
      ask: async (request) => {
        again.push(request.subject);
        return { reply: 'reject' };
      },
    });
    expect(await reuse.check('exec', {}, 'ls *.txt')).toEqual({ allowed: true });
    expect((await reuse.check('exec', {}, 'ls secret.key')).allowed).toBe(false);
    expect(again).toEqual(['ls secret.key']);
  });
});
