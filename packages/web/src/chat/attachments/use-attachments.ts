import { useCallback, useRef, useState } from 'react';
import {
  addAttachment,
  attachmentKey,
  type ChatAttachment,
  imageChars,
  MAX_IMAGE_CHARS,
} from './attachments.ts';
import { readImage } from './image-file.ts';

export interface Attachments {
  list: readonly ChatAttachment[];
  /** Why the last thing could not be attached; cleared by the next change. */
  problem: string | null;
  add: (attachment: ChatAttachment) => void;
  addImages: (files: readonly File[]) => Promise<void>;
  remove: (attachment: ChatAttachment) => void;
  /** Replaces the whole list: empties it after sending, gives it back when sending failed. */
  reset: (list?: readonly ChatAttachment[]) => void;
}

/** The attachments of the message being written. */
export function useAttachments(): Attachments {
  const [list, setList] = useState<readonly ChatAttachment[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  // Images are read one after another, asynchronously: each must see the ones added before it.
  const latest = useRef(list);

  const commit = useCallback((next: readonly ChatAttachment[], reason: string | null) => {
    latest.current = next;
    setList(next);
    setProblem(reason);
  }, []);

  const add = useCallback(
    (attachment: ChatAttachment) => {
      const result = addAttachment(latest.current, attachment);
      commit(result.list, result.problem);
    },
    [commit],
  );

  const addImages = useCallback(
    async (files: readonly File[]) => {
      for (const file of files) {
        try {
          add(await readImage(file, MAX_IMAGE_CHARS - imageChars(latest.current)));
        } catch (error) {
          setProblem(error instanceof Error ? error.message : String(error));
        }
      }
    },
    [add],
  );

  const remove = useCallback(
    (attachment: ChatAttachment) => {
      const key = attachmentKey(attachment);
      commit(
        latest.current.filter((a) => attachmentKey(a) !== key),
        null,
      );
    },
    [commit],
  );

  const reset = useCallback((next: readonly ChatAttachment[] = []) => commit(next, null), [commit]);

  return { list, problem, add, addImages, remove, reset };
}
