/** One file of a drop or a file picker, with its path below the folder it goes into. */
export interface Upload {
  relative: string;
  file: File;
}

/** More files than this in one drop is more likely a mistake (a dropped home folder) than an upload. */
export const MAX_UPLOAD_FILES = 500;

/**
 * The dropped items as file-system entries, so folders can be walked. The browser empties the
 * DataTransfer when the drop handler returns, so this must run inside it.
 */
export function droppedEntries(data: DataTransfer): FileSystemEntry[] {
  return [...data.items].flatMap((item) => {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
    return entry ? [entry] : [];
  });
}

/** Every file of the dropped entries, folders walked, with paths relative to the drop. */
export async function uploadsOf(entries: readonly FileSystemEntry[]): Promise<Upload[]> {
  const uploads: Upload[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (uploads.length > MAX_UPLOAD_FILES) return;
    if (isFile(entry)) {
      const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
      uploads.push({ relative: prefix + entry.name, file });
    } else if (isDirectory(entry)) {
      const reader = entry.createReader();
      // readEntries hands out a directory's entries in batches until it returns an empty one.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
          reader.readEntries(resolve, reject),
        );
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const entry of entries) await walk(entry, '');
  return uploads;
}

export function uploadsOfFiles(files: FileList): Upload[] {
  return [...files].map((file) => ({ relative: file.name, file }));
}

/** The file's bytes in base64, as the files API takes binary content. */
export function base64Of(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}
