import type { PreviewInfo } from './preview-api.ts';

export type StatusTone = 'idle' | 'busy' | 'ok' | 'bad';

/** How the panel presents the preview's state. */
export interface PreviewStatusView {
  /** A word or two for the status pill. */
  label: string;
  tone: StatusTone;
  /** Whether the app itself can be shown. */
  showApp: boolean;
  /** A sentence for the panel while the app is not shown. */
  detail: string | null;
  /** Whether the install and dev server output helps to understand the state. */
  showLogs: boolean;
  /** The button that (re)starts the dev server, if one makes sense now. */
  action: string | null;
  /** How soon to ask the server again: quickly while it changes by itself, slowly otherwise. */
  pollMs: number;
}

const FAST_POLL_MS = 1_000;
const IDLE_POLL_MS = 5_000;
const RUNNING_POLL_MS = 15_000;

/** The view of a preview; `starting` while this page's own start request is on its way. */
export function previewStatusView(info: PreviewInfo | undefined, starting: boolean): PreviewStatusView {
  if (starting) return busy('Starting', 'Starting the dev server…');
  if (!info) return { ...busy('Checking', 'Checking the preview…'), showLogs: false };
  switch (info.status) {
    case 'stopped':
      return {
        label: 'Stopped',
        tone: 'idle',
        showApp: false,
        detail: 'The app is not running.',
        showLogs: false,
        action: 'Start preview',
        pollMs: IDLE_POLL_MS,
      };
    case 'installing':
      return busy('Installing', 'Installing the dependencies…');
    case 'starting':
      return busy('Starting', 'Starting the dev server…');
    case 'running':
      return {
        label: 'Running',
        tone: 'ok',
        showApp: true,
        detail: null,
        showLogs: false,
        action: 'Restart',
        pollMs: RUNNING_POLL_MS,
      };
    case 'crashed':
      return failure('Crashed', crashDetail(info.exitCode), 'Restart');
    case 'failed':
      return failure('Failed', info.error ?? 'The preview could not start.', 'Try again');
  }
}

function busy(label: string, detail: string): PreviewStatusView {
  return { label, tone: 'busy', showApp: false, detail, showLogs: true, action: null, pollMs: FAST_POLL_MS };
}

function failure(label: string, detail: string, action: string): PreviewStatusView {
  return { label, tone: 'bad', showApp: false, detail, showLogs: true, action, pollMs: IDLE_POLL_MS };
}

function crashDetail(exitCode: number | null | undefined): string {
  if (exitCode === null) return 'The dev server was stopped by a signal.';
  if (exitCode === undefined) return 'The dev server stopped unexpectedly.';
  return `The dev server exited with code ${exitCode}.`;
}
