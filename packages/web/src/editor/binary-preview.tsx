import type { BinaryFile } from './tabs.ts';

const imageTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
};

const formatSize = (bytes: number) =>
  bytes < 1024
    ? `${bytes} bytes`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** A binary file cannot be edited here: images are shown, anything else is described. */
export function BinaryPreview({ path, file }: { path: string; file: BinaryFile }) {
  const type = imageTypes[path.slice(path.lastIndexOf('.') + 1).toLowerCase()];
  return (
    <div className="flex h-full flex-col items-center justify-center gap-3 overflow-auto p-6 text-center text-sm text-zinc-500">
      {type && (
        <img
          src={`data:${type};base64,${file.base64}`}
          alt={path}
          className="max-h-[70%] max-w-full min-w-16 rounded border border-zinc-200 bg-[repeating-conic-gradient(#e4e4e7_0_25%,transparent_0_50%)] bg-[length:16px_16px] dark:border-zinc-800"
        />
      )}
      <p>
        {type ? 'Image' : 'Binary file'}, {formatSize(file.size)}. It cannot be edited here.
      </p>
    </div>
  );
}
