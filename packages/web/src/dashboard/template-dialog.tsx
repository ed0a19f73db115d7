import { type FormEvent, useState } from 'react';
import type { TemplateInfo } from '../api/projects.ts';
import { navigate } from '../router/router.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Field } from '../ui/field.tsx';
import { useCreateProject } from './use-dashboard.ts';

/** Names a new project made from a template, then opens it. */
export function TemplateDialog({
  template,
  onClose,
}: {
  template: TemplateInfo | null;
  onClose: () => void;
}) {
  return (
    <Dialog open={template !== null} title={`New project from ${template?.name ?? ''}`} onClose={onClose}>
      {template && <TemplateForm key={template.name} template={template} onCancel={onClose} />}
    </Dialog>
  );
}

function TemplateForm({ template, onCancel }: { template: TemplateInfo; onCancel: () => void }) {
  const [name, setName] = useState(template.name);
  const create = useCreateProject();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), template: template.name },
      { onSuccess: (project) => navigate(`/p/${encodeURIComponent(project.id)}`) },
    );
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{template.description}</p>
      <Field
        label="Project name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        maxLength={200}
        required
        autoFocus
      />
      <ErrorAlert>{errorMessage(create.error)}</ErrorAlert>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim()}>
          Create project
        </Button>
      </div>
    </form>
  );
}
