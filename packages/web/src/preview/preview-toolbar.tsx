import type { ReactNode } from 'react';
import {
  MonitorIcon as DesktopIcon,
  ExternalIcon,
  MobileIcon,
  ReloadIcon,
  RotateIcon,
  TabletIcon,
} from '../ui/icons.tsx';
import { canRotate, type Device, devices } from './devices.ts';
import type { PreviewStatusView, StatusTone } from './preview-status.ts';
import { RightViewToggle } from './right-view-toggle.tsx';

const deviceIcons: Record<Device, () => ReactNode> = {
  desktop: DesktopIcon,
  tablet: TabletIcon,
  mobile: MobileIcon,
};

const toneDots: Record<StatusTone, string> = {
  idle: 'bg-zinc-400',
  busy: 'bg-amber-400 animate-pulse',
  ok: 'bg-emerald-500',
  bad: 'bg-red-500',
};

const iconButton =
  'inline-flex size-7 items-center justify-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 disabled:pointer-events-none disabled:opacity-40 aria-pressed:bg-zinc-200 aria-pressed:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:aria-pressed:bg-zinc-700 dark:aria-pressed:text-zinc-100';

interface PreviewToolbarProps {
  status: PreviewStatusView;
  /** Whether the panel can hand the area to the editor. */
  canSwitchView: boolean;
  device: Device;
  rotated: boolean;
  onDevice: (device: Device) => void;
  onRotate: () => void;
  onReload: () => void;
  onRestart: () => void;
  /** The app's address with its access token, for a tab of its own; null while it is not running. */
  openUrl: string | null;
}

export function PreviewToolbar(props: PreviewToolbarProps) {
  const { status, device, rotated, openUrl } = props;
  return (
    <div className="flex flex-wrap items-center gap-1 border-b border-zinc-200 px-2 py-1 dark:border-zinc-800">
      <h2 className="sr-only">Preview</h2>
      {props.canSwitchView && <RightViewToggle />}
      <span className="flex items-center gap-1.5 px-1.5 text-xs text-zinc-500" role="status">
        <span aria-hidden="true" className={`size-2 rounded-full ${toneDots[status.tone]}`} />
        {status.label}
      </span>
      {status.showApp && status.action && (
        <button
          type="button"
          onClick={props.onRestart}
          className="rounded-md px-1.5 py-0.5 text-xs text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
          title="Restart the dev server"
        >
          {status.action}
        </button>
      )}
      <div className="ml-auto flex items-center gap-0.5">
        <fieldset className="flex items-center gap-0.5">
          <legend className="sr-only">Device</legend>
          {devices.map(({ id, label }) => {
            const Icon = deviceIcons[id];
            return (
              <button
                key={id}
                type="button"
                aria-pressed={device === id}
                aria-label={label}
                title={label}
                onClick={() => props.onDevice(id)}
                className={iconButton}
              >
                <Icon />
              </button>
            );
          })}
        </fieldset>
        <button
          type="button"
          aria-label="Rotate"
          title="Rotate"
          aria-pressed={canRotate(device) ? rotated : undefined}
          disabled={!canRotate(device)}
          onClick={props.onRotate}
          className={iconButton}
        >
          <RotateIcon />
        </button>
        <span aria-hidden="true" className="mx-1 h-4 w-px bg-zinc-200 dark:bg-zinc-700" />
        <button
          type="button"
          aria-label="Reload"
          title="Reload"
          disabled={!status.showApp}
          onClick={props.onReload}
          className={iconButton}
        >
          <ReloadIcon />
        </button>
        {openUrl ? (
          <a
            href={openUrl}
            target="_blank"
            rel="noopener noreferrer"
            aria-label="Open in a new tab"
            title="Open in a new tab"
            className={iconButton}
          >
            <ExternalIcon />
          </a>
        ) : (
          <button type="button" aria-label="Open in a new tab" disabled className={iconButton}>
            <ExternalIcon />
          </button>
        )}
      </div>
    </div>
  );
}
