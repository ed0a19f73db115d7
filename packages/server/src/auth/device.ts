import { randomBytes, randomInt } from 'node:crypto';

/**
 * The codes of a device login (RFC 8628). The device code is the client's secret (256 random
 * bits); the user code is what a person reads off the terminal and types into the IDE.
 */

/** RFC 8628 §6.1: consonants only, so no code spells a word or mixes up 0/O and 1/I. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LENGTH = 8;

/** How long a person has to approve, and the least time between the client's polls. */
export const DEVICE_CODE_LIFETIME_S = 10 * 60;
export const DEVICE_POLL_INTERVAL_S = 5;

export function newDeviceCode(): string {
  return randomBytes(32).toString('base64url');
}

/** Eight letters of the alphabet, unformatted (`BDFGHJKL`). */
export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** `BDFGHJKL` → `BDFG-HJKL`, as the terminal shows it. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a person typed, in the stored form: case, spaces and dashes do not matter. Undefined when
 * it cannot be a user code at all (wrong length, a letter outside the alphabet).
 */
export function normalizeUserCode(typed: string): string | undefined {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== USER_CODE_LENGTH) return undefined;
  return [...code].every((letter) => USER_CODE_ALPHABET.includes(letter)) ? code : undefined;
}

/** `aura CLI (laptop) — 2025-06-01`: how the minted token appears in Settings → API tokens. */
export function deviceTokenName(clientName: string, now = new Date()): string {
  return `aura CLI (${clientName}) — ${now.toISOString().slice(0, 10)}`;
}
