import { git, type Repo } from './git.ts';
import type { Checkpoint, CheckpointFile, CheckpointFileStatus } from './types.ts';

const trailerKeys = {
  sessionId: 'Aura-Session',
  runId: 'Aura-Run',
  messageId: 'Aura-Message',
  restoredFrom: 'Aura-Restored-From',
} as const;

export type CheckpointTrailers = Partial<Record<keyof typeof trailerKeys, string>>;

/** Subject line plus `Aura-*` trailers; values lose anything that could break the format. */
export function commitMessage(subject: string, trailers: CheckpointTrailers): string {
  const clean = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const lines = Object.entries(trailers)
    .filter((entry): entry is [keyof typeof trailerKeys, string] => Boolean(entry[1]))
    .map(([key, value]) => `${trailerKeys[key]}: ${clean(value)}`);
  const title = clean(subject).slice(0, 200) || 'Checkpoint';
  return lines.length ? `${title}\n\n${lines.join('\n')}\n` : `${title}\n`;
}

export function statusOf(letter: string): CheckpointFileStatus {
  if (letter === 'A') return 'added';
  if (letter === 'D') return 'deleted';
  return 'modified';
}

/** `A\0path\0M\0path\0…` (`--name-status -z`) → files. */
export function parseNameStatus(fields: string[]): CheckpointFile[] {
  const files: CheckpointFile[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    files.push({ path: fields[i + 1]!, status: statusOf(fields[i]!.trim().charAt(0)) });
  }
  return files;
}

/** A trailer's value; the subject line is never read as one (it comes from the user's request). */
function trailer(body: string, key: string): string | null {
  for (const line of body.split('\n').slice(1)) {
    if (line.startsWith(`${key}: `)) return line.slice(key.length + 2).trim() || null;
  }
  return null;
}

/** One record of `git log -z --name-status --format=%x1e%H%x1f%ct%x1f%B`. */
function parseRecord(record: string): Checkpoint | undefined {
  const headerEnd = record.indexOf('\0');
  const header = headerEnd === -1 ? record : record.slice(0, headerEnd);
  const [id, seconds, body = ''] = header.split('\x1f');
  if (!id || !seconds) return undefined;
  const rest = headerEnd === -1 ? '' : record.slice(headerEnd + 1).replace(/^\n/, '');
  const fields = rest.split('\0');
  if (fields.at(-1) === '') fields.pop();
  return {
    id,
    message: body.split('\n', 1)[0] ?? '',
    createdAt: Number(seconds) * 1000,
    sessionId: trailer(body, trailerKeys.sessionId),
    runId: trailer(body, trailerKeys.runId),
    messageId: trailer(body, trailerKeys.messageId),
    restoredFrom: trailer(body, trailerKeys.restoredFrom),
    files: parseNameStatus(fields),
  };
}

/** Checkpoints reachable from `rev`, newest first. */
export async function readLog(repo: Repo, rev: string, limit: number): Promise<Checkpoint[]> {
  const { stdout } = await git(repo, [
    'log',
    '-z',
    '--no-renames',
    '--name-status',
    '--format=%x1e%H%x1f%ct%x1f%B',
    `--max-count=${limit}`,
    rev,
    '--',
  ]);
  return stdout
    .toString('utf8')
    .split('\x1e')
    .slice(1)
    .map(parseRecord)
    .filter((c): c is Checkpoint => c !== undefined);
}
