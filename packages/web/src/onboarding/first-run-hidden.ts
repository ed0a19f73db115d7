import { readSetting, writeSetting } from '../ui/storage.ts';

// Per user: someone else signing in on this browser still gets their own first-run step.
const key = (userId: string) => `aura.firstRun.hidden.${userId}`;

export const isFirstRunHidden = (userId: string) => readSetting(key(userId)) === '1';

export const hideFirstRun = (userId: string) => writeSetting(key(userId), '1');
