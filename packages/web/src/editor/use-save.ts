import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { workspaceKeys } from '../files/query-keys.ts';
import { onMac } from '../settings/shortcuts/platform.ts';
import { matchesKeys, shortcutKeys } from '../settings/shortcuts/registry.ts';
import { errorMessage } from '../ui/alert.tsx';
import { saveTab } from './save.ts';

export interface Saver {
  save: (tabId: number) => Promise<boolean>;
  saving: ReadonlySet<number>;
  /** Why the last save of a tab failed, until it succeeds or is dismissed. */
  errors: Readonly<Record<number, string>>;
  dismiss: (tabId: number) => void;
}

/** Saves tabs, remembering which are being saved and which failed. */
export function useSaver(projectId: string): Saver {
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState<ReadonlySet<number>>(new Set());
  const [errors, setErrors] = useState<Readonly<Record<number, string>>>({});
  const dismiss = useCallback((tabId: number) => setErrors(({ [tabId]: _, ...rest }) => rest), []);
  const save = useCallback(
    async (tabId: number) => {
      setSaving((ids) => new Set(ids).add(tabId));
      try {
        const { created } = await saveTab(tabId);
        if (created) void queryClient.invalidateQueries({ queryKey: workspaceKeys.files(projectId) });
        dismiss(tabId);
        return true;
      } catch (error) {
        setErrors((all) => ({ ...all, [tabId]: errorMessage(error) ?? 'The file could not be saved.' }));
        return false;
      } finally {
        setSaving((ids) => {
          const next = new Set(ids);
          next.delete(tabId);
          return next;
        });
      }
    },
    [projectId, queryClient, dismiss],
  );
  return { save, saving, errors, dismiss };
}

/** Ctrl/Cmd-S saves the active tab from anywhere in the workspace, instead of saving the page. */
export function useSaveShortcut(save: (() => void) | null): void {
  useEffect(() => {
    if (!save) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (matchesKeys(event, shortcutKeys('save-file'), onMac)) {
        event.preventDefault();
        save();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [save]);
}

/** The browser asks before leaving the page while a tab has unsaved edits. */
export function useLeaveWarning(unsaved: boolean): void {
  useEffect(() => {
    if (!unsaved) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [unsaved]);
}
