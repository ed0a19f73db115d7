import { useCallback, useRef, useState } from 'react';
import type { PreviewErrorView } from '../state/session-view.ts';
import type { SessionStream } from '../workspace/use-session-stream.ts';
import { DeviceFrame } from './device-frame.tsx';
import type { Device } from './devices.ts';
import { fixMessage } from './fix-message.ts';
import { PreviewConsole } from './preview-console.tsx';
import { PreviewState } from './preview-state.tsx';
import { PreviewToolbar } from './preview-toolbar.tsx';
import { usePreview } from './use-preview.ts';
import { usePreviewFrame } from './use-preview-frame.ts';
import { useRightViewSwitch } from './use-right-view-switch.ts';

interface PreviewPanelProps {
  projectId: string;
  sessionId: string;
  stream: SessionStream;
}

/** The running app on its own origin, in a choice of device sizes, with the errors it reports. */
export function PreviewPanel({ projectId, sessionId, stream }: PreviewPanelProps) {
  const { view, send } = stream;
  const runActive = view.run?.status === 'running';
  const lastErrorSeq = view.previewErrors.at(-1)?.seq ?? 0;
  const preview = usePreview({
    projectId,
    sessionId,
    runActive,
    signal: `${view.state}|${view.previewUrl ?? ''}|${lastErrorSeq}`,
  });
  const frame = usePreviewFrame(preview.info, preview.refetch);
  const root = useRef<HTMLDivElement>(null);
  const canSwitchView = useRightViewSwitch(root);
  const [device, setDevice] = useState<Device>('desktop');
  const [rotated, setRotated] = useState(false);
  const [consoleOpen, setConsoleOpen] = useState(false);
  const [clearedThrough, setClearedThrough] = useState(0);
  const errors = view.previewErrors.filter((error) => error.seq > clearedThrough);
  const { status, start } = preview;
  const startNow = start.mutate;

  // The same command the chat's composer sends: queued while offline, shown in the conversation.
  const fix = useCallback(
    (error: PreviewErrorView) => send({ type: 'send', data: { text: fixMessage(error) } }),
    [send],
  );

  return (
    <div ref={root} className="flex h-full min-h-0 flex-col">
      <PreviewToolbar
        status={status}
        canSwitchView={canSwitchView}
        device={device}
        rotated={rotated}
        onDevice={setDevice}
        onRotate={() => setRotated((r) => !r)}
        onReload={() => void frame.reload()}
        onRestart={() => startNow()}
        openUrl={status.showApp ? (preview.info?.url ?? null) : null}
      />
      <div className="min-h-0 flex-1 bg-zinc-100 dark:bg-zinc-900">
        {status.showApp && frame.src ? (
          <DeviceFrame key={frame.load} src={frame.src} device={device} rotated={rotated} />
        ) : (
          <PreviewState
            status={status}
            logs={preview.info?.logs}
            problem={start.error ?? preview.error}
            onAction={() => startNow()}
          />
        )}
      </div>
      <div
        className={`flex flex-col border-t border-zinc-200 dark:border-zinc-800 ${consoleOpen ? 'h-2/5 min-h-32' : ''}`}
      >
        <button
          type="button"
          aria-expanded={consoleOpen}
          onClick={() => setConsoleOpen((open) => !open)}
          className="flex items-center gap-2 px-3 py-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase hover:text-zinc-900 dark:hover:text-zinc-100"
        >
          <span aria-hidden="true">{consoleOpen ? '▾' : '▸'}</span>
          Console
          {errors.length > 0 && (
            <span className="rounded-full bg-red-600 px-1.5 text-[10px] text-white normal-case">
              {errors.length}
              <span className="sr-only"> errors</span>
            </span>
          )}
        </button>
        {consoleOpen && (
          <PreviewConsole
            errors={errors}
            onFix={fix}
            fixBlocked={runActive ? 'Aura is working: Fix this is ready once it is done.' : null}
            onClear={() => setClearedThrough(lastErrorSeq)}
          />
        )}
      </div>
    </div>
  );
}
