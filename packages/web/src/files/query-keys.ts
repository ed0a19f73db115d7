/** Query keys of the workspace's files and checkpoints (the app's own are in src/api/query-keys.ts). */
export const workspaceKeys = {
  files: (projectId: string) => ['workspace', projectId, 'files'] as const,
  checkpoints: (projectId: string) => ['workspace', projectId, 'checkpoints'] as const,
  checkpointDiff: (projectId: string, checkpointId: string) =>
    ['workspace', projectId, 'checkpoints', checkpointId, 'diff'] as const,
};
