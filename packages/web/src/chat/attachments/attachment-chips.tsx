import { CrossIcon, FileIcon } from '../../ui/icons.tsx';
import { attachmentKey, type ChatAttachment } from './attachments.ts';

interface AttachmentChipsProps {
  attachments: readonly ChatAttachment[];
  /** Given, each chip gets a remove button. */
  onRemove?: (attachment: ChatAttachment) => void;
  /** Images drawn larger, as in a sent message. */
  large?: boolean;
}

/** Attached files as chips and images as thumbnails. */
export function AttachmentChips({ attachments, onRemove, large = false }: AttachmentChipsProps) {
  if (attachments.length === 0) return null;
  return (
    <ul aria-label="Attachments" className="flex flex-wrap gap-1.5">
      {attachments.map((attachment) => {
        const name = attachment.kind === 'file' ? attachment.path : attachment.name;
        return (
          <li
            key={attachmentKey(attachment)}
            className="flex max-w-full items-center gap-1 rounded-md border border-zinc-200 bg-white py-0.5 pr-0.5 pl-1.5 text-xs dark:border-zinc-700 dark:bg-zinc-900"
          >
            {attachment.kind === 'file' ? (
              <FileIcon className="size-3.5 text-zinc-400" />
            ) : (
              <img
                src={attachment.dataUrl}
                alt=""
                className={`${large ? 'size-16' : 'size-6'} rounded object-cover`}
              />
            )}
            <span className="min-w-0 truncate font-mono" title={name}>
              {name}
            </span>
            {onRemove ? (
              <button
                type="button"
                onClick={() => onRemove(attachment)}
                aria-label={`Remove ${name}`}
                className="rounded p-0.5 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-200"
              >
                <CrossIcon className="size-3.5" />
              </button>
            ) : (
              <span className="w-1" />
            )}
          </li>
        );
      })}
    </ul>
  );
}
