import { createInterface } from 'node:readline/promises';
import type { PermissionAnswer } from '@aura/engine';

/**
 * Asks on the terminal; without one nobody can answer, so the call is rejected with advice.
 * Ctrl-C at the prompt cancels the run (readline catches it before the process does).
 */
export async function askOnTerminal(description: string, onInterrupt: () => void): Promise<PermissionAnswer> {
  if (!process.stdin.isTTY) {
    return {
      reply: 'reject',
      message:
        'No one is at the terminal to approve this. Rerun with --yes, or allow it with a permissions rule in ~/.config/aura/config.yaml.',
    };
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const interrupted = new AbortController();
  rl.on('SIGINT', () => {
    interrupted.abort();
    onInterrupt();
  });
  try {
    const answer = (
      await rl.question(`Allow? ${description} [y]es / [n]o / [a]lways: `, { signal: interrupted.signal })
    )
      .trim()
      .toLowerCase();
    if (answer === 'a' || answer === 'always') return { reply: 'always' };
    if (answer === 'y' || answer === 'yes') return { reply: 'once' };
    const message = (
      await rl.question('Tell the agent why (optional): ', { signal: interrupted.signal })
    ).trim();
    return message ? { reply: 'reject', message } : { reply: 'reject' };
  } catch {
    return { reply: 'reject', message: 'The user cancelled the run.' };
  } finally {
    rl.close();
  }
}
