import { createInterface } from 'node:readline/promises';
import type { PermissionAnswer } from '@aura/engine';

/** Asks on the terminal; without one nobody can answer, so the call is rejected with advice. */
export async function askOnTerminal(description: string): Promise<PermissionAnswer> {
  if (!process.stdin.isTTY) {
    return {
      reply: 'reject',
      message:
        'No one is at the terminal to approve this. Rerun with --yes, or allow it with a permissions rule in .aura/config.yaml.',
    };
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`Allow? ${description} [y]es / [n]o / [a]lways: `))
      .trim()
      .toLowerCase();
    if (answer === 'a' || answer === 'always') return { reply: 'always' };
    if (answer === 'y' || answer === 'yes') return { reply: 'once' };
    const message = (await rl.question('Tell the agent why (optional): ')).trim();
    return message ? { reply: 'reject', message } : { reply: 'reject' };
  } finally {
    rl.close();
  }
}
