import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { PathDialog } from './dialogs.tsx';
import { ancestorsOf, baseName, joinPath } from './paths.ts';
import type { Upload } from './upload.ts';
import type { FileActions } from './use-file-actions.ts';

/** The dialog the file tree has open. */
export type EntryDialogState =
  | { kind: 'new-file' | 'new-folder'; dir: string }
  | { kind: 'rename'; path: string }
  | { kind: 'delete'; path: string }
  | { kind: 'replace'; dir: string; uploads: Upload[]; existing: string[] };

interface EntryDialogProps {
  dialog: EntryDialogState;
  actions: FileActions;
  onUpload: (dir: string, uploads: Upload[], replace: boolean) => Promise<void>;
  onClose: () => void;
  toggle: (path: string, open: boolean) => void;
}

/** Asks for what an action on the tree needs: a path, or a confirmation. */
export function EntryDialog({ dialog, actions, onUpload, onClose, toggle }: EntryDialogProps) {
  switch (dialog.kind) {
    case 'new-file':
    case 'new-folder': {
      const folder = dialog.kind === 'new-folder';
      const initial = joinPath(dialog.dir, folder ? 'new-folder' : 'untitled.ts');
      return (
        <PathDialog
          title={folder ? 'New folder' : 'New file'}
          initial={initial}
          submitLabel="Create"
          hint="Folders in the path are made as needed."
          onSubmit={async (path) => {
            await (folder ? actions.createFolder(path) : actions.createFile(path));
            for (const dir of folder ? [...ancestorsOf(path), path] : ancestorsOf(path)) toggle(dir, true);
          }}
          onClose={onClose}
        />
      );
    }
    case 'rename':
      return (
        <PathDialog
          title={`Rename ${baseName(dialog.path)}`}
          initial={dialog.path}
          submitLabel="Rename"
          hint="Change the folders in the path to move it."
          onSubmit={async (path) => {
            if (path !== dialog.path) await actions.move(dialog.path, path);
            for (const dir of ancestorsOf(path)) toggle(dir, true);
          }}
          onClose={onClose}
        />
      );
    case 'delete':
      return (
        <ConfirmDialog
          title={`Delete ${baseName(dialog.path)}?`}
          confirmLabel="Delete"
          onConfirm={() => actions.remove(dialog.path)}
          onClose={onClose}
        >
          <p>
            <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{dialog.path}</strong> will be
            deleted, with everything in it if it is a folder. If a checkpoint holds it, restoring that
            checkpoint brings it back.
          </p>
        </ConfirmDialog>
      );
    case 'replace':
      return (
        <ConfirmDialog
          title={`Replace ${dialog.existing.length === 1 ? 'a file' : `${dialog.existing.length} files`}?`}
          confirmLabel="Replace"
          onConfirm={() => onUpload(dialog.dir, dialog.uploads, true)}
          onClose={onClose}
        >
          <p>These files already exist and will be overwritten:</p>
          <ul className="mt-2 max-h-40 list-inside list-disc overflow-auto font-mono text-xs">
            {dialog.existing.map((path) => (
              <li key={path}>{path}</li>
            ))}
          </ul>
        </ConfirmDialog>
      );
  }
}
