/**
 * Directories no checkpoint, export or import carries: installed dependencies, build output and
 * tool caches (they are large and rebuilt from the sources), VCS internals and Aura's own `.aura`
 * (per-project settings such as permission rules, which an archive must never plant).
 */
export const excludedDirNames: ReadonlySet<string> = new Set([
  '.git',
  '.aura',
  'node_modules',
  '.vite',
  'dist',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.parcel-cache',
  '.cache',
  'coverage',
  '__pycache__',
  '.venv',
  '.pytest_cache',
  '.mypy_cache',
]);

/** Checkpoint repositories also skip these files (in `info/exclude` syntax). */
const excludedFilePatterns = ['*.pyc', '.DS_Store', '*.log', '*.tsbuildinfo'];

/** The `info/exclude` file of a checkpoint repository. */
export function excludeFileText(): string {
  return [
    '# Written by Aura: checkpoints leave out dependencies, build output and caches.',
    ...[...excludedDirNames].filter((name) => name !== '.git').map((name) => `${name}/`),
    ...excludedFilePatterns,
    '',
  ].join('\n');
}

/**
 * The `info/attributes` file: it outranks any `.gitattributes` in the workspace, so no EOL
 * conversion, keyword expansion or filter can change bytes between the workspace and a checkpoint.
 */
export function attributesFileText(): string {
  return '* -text -ident -filter !eol !working-tree-encoding\n';
}
