import { useCallback, useEffect, useState } from 'react';
import type { PreviewInfo } from './preview-api.ts';

export interface PreviewFrame {
  /** The address the iframe loads; null while the app is not running. */
  src: string | null;
  /** Bumped by each reload, to key the iframe. */
  load: number;
  reload: () => Promise<void>;
}

/**
 * The iframe's address, kept steady while the app runs. Each status answer carries a new token
 * in the URL; following it would reload the app every poll. A reload or a restart takes a fresh
 * one (the page trades it for a cookie).
 */
export function usePreviewFrame(
  info: PreviewInfo | undefined,
  refetch: () => Promise<{ data?: PreviewInfo | undefined }>,
): PreviewFrame {
  const [frame, setFrame] = useState<{ src: string; load: number } | null>(null);
  const running = info?.status === 'running';
  const url = info?.url;

  useEffect(() => {
    if (running && url) setFrame((current) => current ?? { src: url, load: 0 });
    else setFrame(null);
  }, [running, url]);

  const reload = useCallback(async () => {
    const { data } = await refetch();
    if (data?.status === 'running') {
      setFrame((current) => ({ src: data.url, load: (current?.load ?? 0) + 1 }));
    }
  }, [refetch]);

  return { src: frame?.src ?? null, load: frame?.load ?? 0, reload };
}
