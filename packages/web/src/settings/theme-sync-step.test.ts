import { describe, expect, it } from 'vitest';
import { parseSyncedTheme, themeSyncStep } from './theme-sync-step.ts';

describe('theme sync', () => {
  it('does nothing when browser and account agree', () => {
    expect(themeSyncStep(null, 'u1', 'dark', 'dark')).toEqual({ kind: 'in-sync' });
  });

  it('adopts the account’s theme on a first sign-in in this browser', () => {
    expect(themeSyncStep(null, 'u1', 'system', 'dark')).toEqual({ kind: 'adopt', theme: 'dark' });
  });

  it('adopts the account’s theme when another user signs in', () => {
    expect(themeSyncStep({ userId: 'u1', theme: 'light' }, 'u2', 'light', 'dark')).toEqual({
      kind: 'adopt',
      theme: 'dark',
    });
  });

  it('adopts a change made on another device', () => {
    expect(themeSyncStep({ userId: 'u1', theme: 'light' }, 'u1', 'light', 'dark')).toEqual({
      kind: 'adopt',
      theme: 'dark',
    });
  });

  it('sends a choice made here since the last agreement', () => {
    expect(themeSyncStep({ userId: 'u1', theme: 'light' }, 'u1', 'dark', 'light')).toEqual({
      kind: 'push',
      theme: 'dark',
    });
  });

  it('reads only a well-formed agreement from storage', () => {
    expect(parseSyncedTheme('{"userId":"u1","theme":"dark"}')).toEqual({ userId: 'u1', theme: 'dark' });
    expect(parseSyncedTheme('{"userId":"u1","theme":"blue"}')).toBeNull();
    expect(parseSyncedTheme('[1]')).toBeNull();
    expect(parseSyncedTheme('not json')).toBeNull();
    expect(parseSyncedTheme(null)).toBeNull();
  });
});
