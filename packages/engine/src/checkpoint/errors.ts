/** A checkpoint id that is malformed or not part of this workspace's history. */
export class CheckpointNotFoundError extends Error {
  override name = 'CheckpointNotFoundError';
  constructor(id: string) {
    super(`Checkpoint ${id.slice(0, 64)} not found`);
  }
}

/** git itself failed (missing binary, corrupt repository, full disk). */
export class CheckpointGitError extends Error {
  override name = 'CheckpointGitError';
}

/**
 * An archive (zip or folder) that cannot be imported or exported as asked. `code` is stable for
 * programs; the message names the offending entry for people.
 */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
  readonly code: 'bad_archive' | 'unsafe_entry' | 'too_large' | 'too_many_entries' | 'bad_source';
  constructor(code: ArchiveError['code'], message: string) {
    super(message);
    this.code = code;
  }
}
