export interface DiffLine {
  kind: 'context' | 'added' | 'removed' | 'hunk' | 'note';
  text: string;
  /** Line numbers in the old and new file, where the line is in them. */
  oldLine: number | null;
  newLine: number | null;
}

const hunkHeader = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * git's unified diff of several files, one list of lines per file, in the diff's order. The file
 * headers (`diff --git`, `index`, `---`, `+++`) are dropped: the caller knows the paths, which git
 * may have quoted. A binary file's "Binary files … differ" becomes a note.
 */
export function splitDiff(diff: string): DiffLine[][] {
  const files: DiffLine[][] = [];
  let lines: DiffLine[] | null = null;
  let inHunk = false;
  let oldLine = 0;
  let newLine = 0;
  for (const text of diff.split('\n')) {
    if (text.startsWith('diff --git ')) {
      lines = [];
      files.push(lines);
      inHunk = false;
      continue;
    }
    if (!lines) continue;
    const hunk = hunkHeader.exec(text);
    if (hunk) {
      inHunk = true;
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      lines.push({ kind: 'hunk', text, oldLine: null, newLine: null });
    } else if (!inHunk) {
      if (text.startsWith('Binary files '))
        lines.push({ kind: 'note', text: 'Binary file changed.', oldLine: null, newLine: null });
    } else if (text.startsWith('+')) {
      lines.push({ kind: 'added', text: text.slice(1), oldLine: null, newLine: newLine++ });
    } else if (text.startsWith('-')) {
      lines.push({ kind: 'removed', text: text.slice(1), oldLine: oldLine++, newLine: null });
    } else if (text.startsWith(' ')) {
      lines.push({ kind: 'context', text: text.slice(1), oldLine: oldLine++, newLine: newLine++ });
    } else if (text.startsWith('\\')) {
      lines.push({ kind: 'note', text: text.slice(2), oldLine: null, newLine: null });
    }
  }
  return files;
}
