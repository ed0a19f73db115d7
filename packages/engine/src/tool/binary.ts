import path from 'node:path';
import { formatBytes } from './text.ts';

/** How many leading bytes are inspected to decide whether a file is text. */
export const SNIFF_BYTES = 8192;

/**
 * A file is binary when its first bytes contain a NUL or too many control characters. UTF-8 text
 * (any byte ≥ 0x80) counts as text.
 */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.length === 0) return false;
  let suspicious = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    const allowed = byte === 9 || byte === 10 || byte === 13 || byte === 12 || byte === 8 || byte === 27;
    if ((byte < 32 && !allowed) || byte === 127) suspicious += 1;
  }
  return suspicious / sample.length > 0.1;
}

interface Signature {
  magic: number[];
  offset?: number;
  type: string;
  image?: boolean;
}

const SIGNATURES: Signature[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47], type: 'PNG image', image: true },
  { magic: [0xff, 0xd8, 0xff], type: 'JPEG image', image: true },
  { magic: [0x47, 0x49, 0x46, 0x38], type: 'GIF image', image: true },
  { magic: [0x52, 0x49, 0x46, 0x46], type: 'RIFF media (WebP/WAV/AVI)' },
  { magic: [0x42, 0x4d], type: 'BMP image', image: true },
  { magic: [0x00, 0x00, 0x01, 0x00], type: 'ICO image', image: true },
  { magic: [0x25, 0x50, 0x44, 0x46], type: 'PDF document' },
  { magic: [0x50, 0x4b, 0x03, 0x04], type: 'ZIP archive (or jar/docx/xlsx)' },
  { magic: [0x1f, 0x8b], type: 'gzip archive' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], type: 'zstd archive' },
  { magic: [0x42, 0x5a, 0x68], type: 'bzip2 archive' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a], type: 'xz archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], type: '7z archive' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], type: 'ELF executable' },
  { magic: [0xcf, 0xfa, 0xed, 0xfe], type: 'Mach-O executable' },
  { magic: [0x4d, 0x5a], type: 'Windows executable' },
  { magic: [0x00, 0x61, 0x73, 0x6d], type: 'WebAssembly module' },
  { magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], type: 'SQLite database' },
  { magic: [0x77, 0x4f, 0x46, 0x46], type: 'WOFF font' },
  { magic: [0x77, 0x4f, 0x46, 0x32], type: 'WOFF2 font' },
  { magic: [0x4f, 0x67, 0x67, 0x53], type: 'Ogg media' },
  { magic: [0x49, 0x44, 0x33], type: 'MP3 audio' },
  { magic: [0x66, 0x74, 0x79, 0x70], offset: 4, type: 'MP4/QuickTime media' },
];

function matches(sample: Uint8Array, signature: Signature): boolean {
  const offset = signature.offset ?? 0;
  return signature.magic.every((byte, index) => sample[offset + index] === byte);
}

function imageDimensions(sample: Uint8Array, type: string): string | undefined {
  const view = new DataView(sample.buffer, sample.byteOffset, sample.byteLength);
  if (type === 'PNG image' && sample.length >= 24) {
    return `${view.getUint32(16)}×${view.getUint32(20)}`;
  }
  if (type === 'GIF image' && sample.length >= 10) {
    return `${view.getUint16(6, true)}×${view.getUint16(8, true)}`;
  }
  return undefined;
}

/** "PNG image, 640×480, 12.3 KB" — what the model is told instead of a binary file's bytes. */
export function describeBinary(sample: Uint8Array, size: number, filePath: string): string {
  const signature = SIGNATURES.find((candidate) => matches(sample, candidate));
  const ext = path.extname(filePath).slice(1).toLowerCase();
  const type = signature?.type ?? (ext ? `binary data (.${ext})` : 'binary data');
  const dims = signature?.image ? imageDimensions(sample, signature.type) : undefined;
  return [type, dims, formatBytes(size)].filter(Boolean).join(', ');
}
