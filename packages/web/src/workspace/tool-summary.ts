import type { ToolCallView } from '../state/session-view.ts';

/** The one thing worth showing about a tool call's input in a single line. */
export function toolSummary(tool: string, input: unknown): string {
  if (typeof input !== 'object' || input === null) return '';
  const record = input as Record<string, unknown>;
  for (const key of ['command', 'pattern', 'query', 'url', 'path', 'from']) {
    const value = record[key];
    if (typeof value === 'string')
      return key === 'from' && typeof record.to === 'string' ? `${value} → ${record.to}` : value;
  }
  if (tool === 'todo' && Array.isArray(record.items)) return `${record.items.length} items`;
  if (tool === 'apply_patch' && typeof record.patch === 'string')
    return patchedPaths(record.patch).join(', ');
  return '';
}

/** The files a unified diff touches, from its `+++` lines (its `---` line for a deletion). */
function patchedPaths(patch: string): string[] {
  const paths: string[] = [];
  let removed: string | null = null;
  for (const line of patch.split('\n')) {
    if (line.startsWith('--- ')) removed = line.slice(4).split('\t')[0]!.trim();
    if (!line.startsWith('+++ ')) continue;
    const added = line.slice(4).split('\t')[0]!.trim();
    const path = (added === '/dev/null' ? removed : added)?.replace(/^[ab]\//, '');
    if (path && path !== '/dev/null' && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** A tool's name as people read it: MCP tools `mcp__<server>__<tool>` become `<server> · <tool>`. */
export function toolTitle(tool: string): string {
  const mcp = /^mcp__(.+?)__(.+)$/.exec(tool);
  return mcp ? `${mcp[1]} · ${mcp[2]}` : tool;
}

const MAX_OUTCOME = 140;

/** What a finished call came to, when one line can say it: a failure's reason, a command's exit. */
export function toolOutcome(
  call: Pick<ToolCallView, 'tool' | 'status' | 'output' | 'metadata'>,
): string | null {
  if (call.status === 'error') {
    const first = call.output?.split('\n').find((line) => line.trim()) ?? 'Failed.';
    return first.length > MAX_OUTCOME ? `${first.slice(0, MAX_OUTCOME - 1)}…` : first;
  }
  if (call.status === 'interrupted') return 'Interrupted before it finished.';
  if (call.tool === 'exec' && call.status === 'completed' && typeof call.metadata?.exitCode === 'number') {
    return `exit ${call.metadata.exitCode}`;
  }
  return null;
}
