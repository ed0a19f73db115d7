import { type ReactNode, useState } from 'react';
import { ErrorAlert, errorMessage } from './alert.tsx';
import { Button } from './button.tsx';
import { Dialog } from './dialog.tsx';

interface ConfirmDialogProps {
  /** Mount it only while asking, or keep it mounted and drive this (focus then goes back on close). */
  open?: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** When it resolves the dialog closes; when it rejects, the dialog stays open and says why. */
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}

/** A yes/no question about something that cannot be undone; Cancel has the focus. */
export function ConfirmDialog({ open = true, title, onClose, ...question }: ConfirmDialogProps) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <Question {...question} onClose={onClose} />
    </Dialog>
  );
}

/** Rendered only while the dialog is open, so each time it opens it starts without an error. */
function Question({
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: Omit<ConfirmDialogProps, 'open' | 'title'>) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
      onClose();
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col gap-4">
      <div className="text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
      <ErrorAlert>{errorMessage(failure)}</ErrorAlert>
      <div className="flex justify-end gap-2">
        <Button onClick={onClose} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" busy={busy} onClick={confirm}>
          {confirmLabel}
        </Button>
      </div>
    </div>
  );
}
