import type { ProjectInfo } from '@aura/protocol';
import { type FormEvent, useState } from 'react';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Field } from '../ui/field.tsx';
import { useDeleteProject, useRenameProject } from './use-dashboard.ts';

interface ProjectDialogProps {
  project: ProjectInfo | null;
  onClose: () => void;
}

export function RenameDialog({ project, onClose }: ProjectDialogProps) {
  return (
    <Dialog open={project !== null} title="Rename project" onClose={onClose}>
      {project && <RenameForm key={project.id} project={project} onDone={onClose} />}
    </Dialog>
  );
}

function RenameForm({ project, onDone }: { project: ProjectInfo; onDone: () => void }) {
  const [name, setName] = useState(project.name);
  const rename = useRenameProject();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    if (trimmed === project.name) return onDone();
    rename.mutate({ id: project.id, name: trimmed }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      <Field
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        maxLength={200}
        error={name.trim() ? undefined : 'A project needs a name.'}
        autoFocus
      />
      <ErrorAlert>{errorMessage(rename.error)}</ErrorAlert>
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" busy={rename.isPending} disabled={!name.trim()}>
          Save
        </Button>
      </div>
    </form>
  );
}

export function DeleteDialog({ project, onClose }: ProjectDialogProps) {
  const remove = useDeleteProject();
  return (
    <ConfirmDialog
      open={project !== null}
      title="Delete project?"
      confirmLabel="Delete project"
      onConfirm={async () => {
        if (project) await remove.mutateAsync(project.id);
      }}
      onClose={onClose}
    >
      {project && (
        <p>
          <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{project.name}</strong>, its
          conversations and all its files will be deleted. This cannot be undone.
        </p>
      )}
    </ConfirmDialog>
  );
}
