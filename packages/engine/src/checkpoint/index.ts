export { checkpointPending, checkpointTurn, diffCheckpoint, listCheckpoints } from './checkpoints.ts';
export { ArchiveError, CheckpointGitError, CheckpointNotFoundError } from './errors.ts';
export { excludedDirNames } from './excludes.ts';
export { type FolderImportOptions, importFolder } from './folder-import.ts';
export { restoreCheckpoint } from './restore.ts';
export type { CheckpointRunOptions, TurnCheckpoints } from './turn.ts';
export { beginTurnCheckpoints } from './turn.ts';
export type * from './types.ts';
export {
  type ArchiveLimits,
  defaultImportLimits,
  entryBytes,
  extractZip,
  type ImportSummary,
  readZip,
  type ZipEntry,
} from './zip-read.ts';
export { defaultExportLimits, type WorkspaceZip, zipWorkspace } from './zip-write.ts';
