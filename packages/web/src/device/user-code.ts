/** The user codes of device login, as the server issues them (packages/server/src/auth/device.ts). */

const ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const LENGTH = 8;

/** `bcdf ghjk`, `BCDF-GHJK`, `bcdfghjk` → `BCDF-GHJK`; undefined when it cannot be a code. */
export function normalizeUserCode(typed: string): string | undefined {
  const letters = typed.replace(/[\s-]/g, '').toUpperCase();
  if (letters.length !== LENGTH || ![...letters].every((letter) => ALPHABET.includes(letter)))
    return undefined;
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

export function validateUserCode(typed: string): string | undefined {
  if (!typed.trim()) return 'Enter the code your terminal shows.';
  if (normalizeUserCode(typed)) return undefined;
  return 'A code is 8 letters, like BCDF-GHJK. Copy it as your terminal shows it.';
}
