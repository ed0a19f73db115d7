import { type FormEvent, useState } from 'react';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Field } from '../ui/field.tsx';
import { baseName, pathProblem } from './paths.ts';

interface PathDialogProps {
  title: string;
  /** The path to start from; the name part (without its extension) is selected for typing over. */
  initial: string;
  submitLabel: string;
  hint: string;
  onSubmit: (path: string) => Promise<void>;
  onClose: () => void;
}

/** Asks for a path inside the project, checks it as it is typed, and shows what the server said. */
export function PathDialog({ title, initial, submitLabel, hint, onSubmit, onClose }: PathDialogProps) {
  const [path, setPath] = useState(initial);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const problem = pathProblem(path);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(path);
      onClose();
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };
  const name = baseName(initial);
  const dot = name.lastIndexOf('.');
  const selectFrom = initial.length - name.length;
  const selectTo = dot > 0 ? selectFrom + dot : initial.length;
  return (
    <Dialog open title={title} onClose={onClose}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <Field
          label="Path"
          value={path}
          onChange={(event) => {
            setPath(event.target.value);
            setTouched(true);
          }}
          onFocus={(event) => event.currentTarget.setSelectionRange(selectFrom, selectTo)}
          error={touched && problem ? problem : undefined}
          hint={hint}
          spellCheck={false}
          autoComplete="off"
          autoFocus
        />
        <ErrorAlert>{errorMessage(failure)}</ErrorAlert>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={touched && problem !== null}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
