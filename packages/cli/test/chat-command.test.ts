import { describe, expect, it } from 'vitest';
import { cleanEnv, runAura } from './cli-helpers.ts';

describe('aura chat, outside a terminal', () => {
  it('prints its help', async () => {
    const { env } = await cleanEnv();
    const result = await runAura(['chat', '--help'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: aura chat');
    expect(result.stdout).toContain('--server URL');
  });

  it('refuses to start without a terminal and points to aura run', async () => {
    const { env } = await cleanEnv();
    const result = await runAura(['chat', '--dir', env.HOME!], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('aura chat needs an interactive terminal');
    expect(result.stderr).toContain('aura run "PROMPT"');
  });

  it.each([
    [['--continue', '--session', 'ses_x'], 'use either --continue or --session'],
    [
      ['--server', 'http://127.0.0.1:1', '--sandbox', 'bwrap'],
      '--sandbox, --data and --max-steps are for local',
    ],
    [['--project', 'p1'], '--project needs --server URL'],
    [['--sandbox', 'vm'], '--sandbox must be one of local, bwrap, docker (got "vm")'],
    [['--max-steps', '0'], '--max-steps must be a positive whole number'],
    [['fix', 'the', 'bug'], 'aura chat takes no prompt argument (got "fix the bug")'],
    [['--colour'], "Unknown option '--colour'"],
  ])('rejects %j with a clear message', async (args, message) => {
    const { env } = await cleanEnv();
    const result = await runAura(['chat', ...args], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
