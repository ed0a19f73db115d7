import { describe, expect, it } from 'vitest';
import { canRotate, deviceSize, fitToArea } from './devices.ts';

describe('device sizes', () => {
  it('gives tablet and mobile their portrait viewports, and desktop the whole panel', () => {
    expect(deviceSize('tablet', false)).toEqual({ width: 768, height: 1024 });
    expect(deviceSize('mobile', false)).toEqual({ width: 390, height: 844 });
    expect(deviceSize('desktop', false)).toBeNull();
  });

  it('swaps width and height when rotated', () => {
    expect(deviceSize('tablet', true)).toEqual({ width: 1024, height: 768 });
    expect(deviceSize('mobile', true)).toEqual({ width: 844, height: 390 });
    expect(deviceSize('desktop', true)).toBeNull();
  });

  it('rotates only devices with a fixed viewport', () => {
    expect(canRotate('desktop')).toBe(false);
    expect(canRotate('tablet')).toBe(true);
    expect(canRotate('mobile')).toBe(true);
  });
});

describe('fitting a device into the panel', () => {
  it('keeps the device at full size when it fits', () => {
    expect(fitToArea({ width: 390, height: 844 }, { width: 1000, height: 900 })).toEqual({
      width: 390,
      height: 844,
      scale: 1,
    });
  });

  it('scales down by the tighter of width and height', () => {
    expect(fitToArea({ width: 390, height: 844 }, { width: 600, height: 422 }).scale).toBe(0.5);
    expect(fitToArea({ width: 1024, height: 768 }, { width: 512, height: 2000 }).scale).toBe(0.5);
  });

  it('draws at full size while the area has not been measured', () => {
    expect(fitToArea({ width: 768, height: 1024 }, { width: 0, height: 0 }).scale).toBe(1);
  });
});
