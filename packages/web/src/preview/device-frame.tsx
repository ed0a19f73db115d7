import { useEffect, useRef, useState } from 'react';
import { type Device, deviceSize, fitToArea, type Size } from './devices.ts';

/**
 * What the framed app may do. It runs on its own origin, so `allow-same-origin` keeps that origin
 * (its cookies, storage and dev-server socket), never the IDE's.
 */
const sandbox =
  'allow-scripts allow-same-origin allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-downloads';

/** Room kept around a device so its outline shows. */
const MARGIN = 16;
/** The size label under a device. */
const LABEL_HEIGHT = 20;

interface DeviceFrameProps {
  src: string;
  device: Device;
  rotated: boolean;
}

/** The app in an iframe: filling the area on desktop, else at the device's size, scaled to fit. */
export function DeviceFrame({ src, device, rotated }: DeviceFrameProps) {
  const area = useRef<HTMLDivElement>(null);
  const [room, setRoom] = useState<Size>({ width: 0, height: 0 });

  useEffect(() => {
    const element = area.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setRoom({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const size = deviceSize(device, rotated);
  const fitted = size
    ? fitToArea(size, { width: room.width - 2 * MARGIN, height: room.height - 2 * MARGIN - LABEL_HEIGHT })
    : null;
  // One element tree for every device, so switching resizes the app instead of reloading it.
  return (
    <div
      ref={area}
      className={`flex h-full w-full flex-col items-center overflow-hidden ${fitted ? 'p-4' : ''}`}
    >
      <div
        className={
          fitted
            ? 'shrink-0 overflow-hidden rounded-lg shadow-lg ring-1 ring-zinc-300 dark:ring-zinc-700'
            : 'h-full w-full'
        }
        style={
          fitted ? { width: fitted.width * fitted.scale, height: fitted.height * fitted.scale } : undefined
        }
      >
        <div
          className="h-full w-full"
          style={
            fitted
              ? {
                  width: fitted.width,
                  height: fitted.height,
                  transform: `scale(${fitted.scale})`,
                  transformOrigin: 'top left',
                }
              : undefined
          }
        >
          <iframe
            src={src}
            title="The app's preview"
            sandbox={sandbox}
            className="block h-full w-full border-0 bg-white"
          />
        </div>
      </div>
      {fitted && (
        <p className="mt-1.5 text-xs text-zinc-500 tabular-nums">
          {fitted.width} × {fitted.height}
          {fitted.scale < 1 && ` · ${Math.round(fitted.scale * 100)}%`}
        </p>
      )}
    </div>
  );
}
