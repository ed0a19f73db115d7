import type { Attachment } from '@aura/protocol';
import {
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useId,
  useRef,
  useState,
} from 'react';
import { AttachmentChips } from '../chat/attachments/attachment-chips.tsx';
import { type ChatAttachment, toProtocol } from '../chat/attachments/attachments.ts';
import { FilePicker } from '../chat/attachments/file-picker.tsx';
import { useAttachments } from '../chat/attachments/use-attachments.ts';
import { ModelPicker } from '../chat/models/model-picker.tsx';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { FileIcon, ImageIcon, PaperclipIcon, SendIcon, StopIcon } from '../ui/icons.tsx';

export interface OutgoingMessage {
  text: string;
  attachments: Attachment[];
  /** null keeps the session's model. */
  model: string | null;
}

interface ComposerProps {
  projectId: string;
  running: boolean;
  /** The file open in the editor, offered as a one-click attachment. */
  currentFile: string | null;
  /** The model the session last ran with. */
  sessionModel: string | null;
  /** Shown under the box (usage, for one). */
  status?: ReactNode;
  onSend: (message: OutgoingMessage) => Promise<unknown>;
  onStop: () => Promise<unknown>;
}

const imageTypes = 'image/png,image/jpeg,image/gif,image/webp';

const iconButton =
  'inline-flex size-7 items-center justify-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100';

/**
 * The message box. Enter sends, Shift+Enter starts a new line, Escape stops a running turn.
 * Project files attach through a picker (or the editor's current file in one click); images by
 * pasting, dropping or choosing them. The model for the message is picked beside Send.
 */
export function Composer({
  projectId,
  running,
  currentFile,
  sessionModel,
  status,
  onSend,
  onStop,
}: ComposerProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [model, setModel] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [stopping, setStopping] = useState(false);
  const [picking, setPicking] = useState(false);
  const [dragging, setDragging] = useState(false);
  const attachments = useAttachments();
  const imageInput = useRef<HTMLInputElement>(null);
  const attachedPaths = new Set(attachments.list.flatMap((a) => (a.kind === 'file' ? [a.path] : [])));

  const send = (event?: Pick<FormEvent, 'preventDefault'>) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || running) return;
    const sent: readonly ChatAttachment[] = attachments.list;
    setText('');
    setError(null);
    attachments.reset();
    onSend({ text: message, attachments: sent.map(toProtocol), model: model || null }).catch((e: unknown) => {
      setError(e);
      // Give the words and attachments back, without losing anything typed meanwhile.
      setText((current) => current || message);
      for (const attachment of sent) attachments.add(attachment);
    });
  };

  const stop = () => {
    setStopping(true);
    onStop()
      .catch((e: unknown) => setError(e))
      .finally(() => setStopping(false));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey) send(event);
    else if (event.key === 'Escape' && running && !stopping) {
      event.preventDefault();
      stop();
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const images = [...event.clipboardData.files].filter((file) => file.type.startsWith('image/'));
    if (images.length === 0) return;
    event.preventDefault();
    void attachments.addImages(images);
  };

  const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');
  const onDragOver = (event: DragEvent<HTMLFormElement>) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const onDragLeave = (event: DragEvent<HTMLFormElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
  };
  const onDrop = (event: DragEvent<HTMLFormElement>) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    void attachments.addImages([...event.dataTransfer.files]);
  };

  const hint = running
    ? 'Enter sends, Shift+Enter adds a line, Escape stops.'
    : 'Enter sends, Shift+Enter adds a line.';

  return (
    <form
      onSubmit={send}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      className="@container flex flex-col gap-1.5 border-t border-zinc-200 p-3 dark:border-zinc-800"
    >
      <ErrorAlert>{errorMessage(error)}</ErrorAlert>
      <div
        className={`flex flex-col rounded-xl border bg-white transition-colors focus-within:border-indigo-400 dark:bg-zinc-900 ${
          dragging
            ? 'border-indigo-500 ring-2 ring-indigo-500/30'
            : 'border-zinc-300 dark:border-zinc-700 dark:focus-within:border-indigo-500'
        }`}
      >
        {attachments.list.length > 0 && (
          <div className="px-2 pt-2">
            <AttachmentChips attachments={attachments.list} onRemove={attachments.remove} />
          </div>
        )}
        {attachments.problem && (
          <p role="alert" className="px-3 pt-1.5 text-xs text-red-700 dark:text-red-300">
            {attachments.problem}
          </p>
        )}
        <label htmlFor={id} className="sr-only">
          Message
        </label>
        <textarea
          id={id}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          rows={2}
          aria-describedby={`${id}-hint`}
          placeholder={
            dragging
              ? 'Drop images to attach them'
              : running
                ? 'Aura is working… you can type your next message'
                : 'Ask for a change or a new feature'
          }
          className="field-sizing-content max-h-60 min-h-14 w-full resize-none bg-transparent px-3 py-2 text-sm placeholder:text-zinc-400 focus:outline-none"
        />
        <div className="flex min-w-0 items-center gap-1 px-2 pb-2">
          <button
            type="button"
            className={iconButton}
            onClick={() => setPicking(true)}
            aria-label="Attach a project file"
            title="Attach a project file"
          >
            <PaperclipIcon />
          </button>
          <button
            type="button"
            className={iconButton}
            onClick={() => imageInput.current?.click()}
            aria-label="Attach images"
            title="Attach images (or paste or drop them)"
          >
            <ImageIcon />
          </button>
          {currentFile && !attachedPaths.has(currentFile) && (
            <button
              type="button"
              onClick={() => attachments.add({ kind: 'file', path: currentFile })}
              title={`Attach ${currentFile}`}
              className="flex min-w-0 items-center gap-1 rounded-md border border-dashed border-zinc-300 px-1.5 py-0.5 text-xs text-zinc-600 hover:border-indigo-400 hover:text-indigo-700 dark:border-zinc-700 dark:text-zinc-400 dark:hover:text-indigo-300"
            >
              <FileIcon className="size-3.5" />
              <span className="sr-only">Attach the current file,</span>
              <span className="truncate font-mono">{currentFile.split('/').at(-1)}</span>
            </button>
          )}
          <span className="flex-1" />
          <ModelPicker value={model} onChange={setModel} sessionModel={sessionModel} />
          {running ? (
            <Button
              variant="danger"
              onClick={stop}
              busy={stopping}
              aria-keyshortcuts="Escape"
              className="h-7 px-2.5 py-0"
            >
              {!stopping && <StopIcon />}
              Stop
            </Button>
          ) : (
            <Button type="submit" variant="primary" disabled={!text.trim()} className="h-7 px-2.5 py-0">
              <SendIcon />
              Send
            </Button>
          )}
        </div>
      </div>
      <div className="flex min-w-0 items-center justify-between gap-3">
        <div className="min-w-0">{status}</div>
        <span id={`${id}-hint`} className="sr-only">
          {hint}
        </span>
        <span aria-hidden="true" className="hidden shrink-0 text-xs text-zinc-400 @sm:inline">
          ⏎ send · ⇧⏎ new line{running ? ' · Esc stop' : ''}
        </span>
      </div>
      <input
        ref={imageInput}
        type="file"
        accept={imageTypes}
        multiple
        hidden
        onChange={(event) => {
          void attachments.addImages([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
      <FilePicker
        projectId={projectId}
        open={picking}
        attached={attachedPaths}
        onPick={(path) => attachments.add({ kind: 'file', path })}
        onClose={() => setPicking(false)}
      />
    </form>
  );
}
