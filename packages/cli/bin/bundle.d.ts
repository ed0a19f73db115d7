export const bundleDirectory: string;
export const manifestName: string;
export const manifestFormat: number;

export interface BundleManifest {
  format: number;
  /** The entry module, relative to the bundle directory. */
  entry: string;
  builtAt: string;
  /** Every file the bundle was built from, relative to the bundle directory, with its stamp. */
  inputs: [path: string, stamp: string][];
}

export function fileStamp(path: string): string | undefined;
export function checkBundle(
  directory?: string,
): { entry: string; stale?: never } | { entry?: never; stale: string };
