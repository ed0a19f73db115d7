import { isMacPlatform } from './registry.ts';

/** Whether Mod means ⌘ here. */
export const onMac = isMacPlatform(navigator.userAgent);
