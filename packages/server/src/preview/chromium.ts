import { accessSync, constants } from 'node:fs';

/** Where Debian and Ubuntu's `chromium` package puts the browser. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export type ChromiumLookup = { path: string } | { path: undefined; reason: string };

/** The Chromium to launch: `configured` (AURA_CHROMIUM) when set, else the default when it exists. */
export function findChromium(
  configured: string | undefined,
  isExecutable: (path: string) => boolean = executable,
): ChromiumLookup {
  if (configured !== undefined) {
    return isExecutable(configured)
      ? { path: configured }
      : { path: undefined, reason: `AURA_CHROMIUM (${configured}) is not an executable file` };
  }
  if (isExecutable(DEFAULT_CHROMIUM)) return { path: DEFAULT_CHROMIUM };
  return { path: undefined, reason: `no Chromium at ${DEFAULT_CHROMIUM} and AURA_CHROMIUM is not set` };
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface ChromiumFlags {
  /** Host-resolver rules, e.g. `MAP p-*.aura.example 127.0.0.1`; none when undefined. */
  hostRules?: string | undefined;
}

/**
 * Extra command-line switches for the thumbnail browser: nothing it does needs a GPU, Google's
 * background services or component updates. Playwright adds `--headless` itself, and
 * `--no-sandbox` unless launched with `chromiumSandbox: true` (see `needsNoSandbox`).
 */
export function chromiumArgs(flags: ChromiumFlags = {}): string[] {
  const args = [
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  // One argv entry, no shell: the rule needs no quotes.
  if (flags.hostRules) args.push(`--host-resolver-rules=${flags.hostRules}`);
  return args;
}

/** Chromium's own sandbox refuses to start as root; as any other user it stays on. */
export function needsNoSandbox(uid: number | undefined = process.getuid?.()): boolean {
  return uid === 0;
}
