export type Device = 'desktop' | 'tablet' | 'mobile';

export interface Size {
  width: number;
  height: number;
}

export const devices: { id: Device; label: string }[] = [
  { id: 'desktop', label: 'Desktop' },
  { id: 'tablet', label: 'Tablet' },
  { id: 'mobile', label: 'Mobile' },
];

/** Portrait CSS-pixel viewports of common devices (iPad mini 6, iPhone 14). */
const portrait: Record<Exclude<Device, 'desktop'>, Size> = {
  tablet: { width: 768, height: 1024 },
  mobile: { width: 390, height: 844 },
};

/** The viewport to emulate; null for desktop, which takes whatever room the panel has. */
export function deviceSize(device: Device, rotated: boolean): Size | null {
  if (device === 'desktop') return null;
  const { width, height } = portrait[device];
  return rotated ? { width: height, height: width } : { width, height };
}

export const canRotate = (device: Device) => device !== 'desktop';

export interface Fitted extends Size {
  /** 1 when the device fits; below 1 it is drawn scaled down to fit the area. */
  scale: number;
}

/** The device at its own size, scaled down (never up) to fit the area it is shown in. */
export function fitToArea(device: Size, area: Size): Fitted {
  const room = Math.min(area.width / device.width, area.height / device.height);
  const scale = room > 0 ? Math.min(1, room) : 1;
  return { ...device, scale };
}
