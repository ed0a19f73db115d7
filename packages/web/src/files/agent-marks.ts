import type { SessionView } from '../state/session-view.ts';
import { ancestorsOf } from './paths.ts';

/** The parts of a session's view that say what the agent does to files. */
export type FileActivity = Pick<SessionView, 'files' | 'fileWrites' | 'fileChanges' | 'run'>;

export interface AgentMarks {
  /** Files the agent is writing right now, and the folders holding them. */
  writing: ReadonlySet<string>;
  /** Files the agent changed in its latest run, and the folders holding them. */
  changed: ReadonlySet<string>;
}

/** Files being written: streamed by the builder or named by a running write / edit call. */
export function writingFiles(view: FileActivity): string[] {
  const paths = new Set(Object.values(view.fileWrites));
  for (const file of Object.values(view.files)) if (file.status === 'writing') paths.add(file.path);
  return [...paths];
}

export function agentMarks(view: FileActivity): AgentMarks {
  const changed: string[] = [];
  const runId = view.run?.runId;
  for (let at = view.fileChanges.length - 1; at >= 0 && runId; at--) {
    const change = view.fileChanges[at]!;
    if (change.runId !== runId) break;
    if (change.kind === 'written') changed.push(change.path);
    if (change.kind === 'moved') changed.push(change.to);
  }
  return { writing: withFolders(writingFiles(view)), changed: withFolders(changed) };
}

function withFolders(paths: readonly string[]): Set<string> {
  const marked = new Set<string>();
  for (const path of paths) {
    marked.add(path);
    for (const dir of ancestorsOf(path)) marked.add(dir);
  }
  return marked;
}
