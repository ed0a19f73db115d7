import type { ChatAttachment } from './attachments.ts';

/** Longest edge sent: vision models downscale anything larger, so larger only costs bandwidth. */
const MAX_IMAGE_EDGE = 1568;

const acceptedTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The size that fits within `maxEdge` on both sides, keeping the aspect ratio; never upscaled. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * An image file as an attachment no longer than `maxChars` as a data URL. A small enough image is
 * sent as it is; a larger one is scaled to MAX_IMAGE_EDGE and re-encoded (JPEG, then smaller)
 * until it fits. Rejects with a message for the person when the file is no image or cannot fit.
 */
export async function readImage(
  file: File,
  maxChars: number,
): Promise<Extract<ChatAttachment, { kind: 'image' }>> {
  if (!acceptedTypes.has(file.type))
    throw new Error(`${file.name || 'This file'} is not a PNG, JPEG, GIF or WebP image.`);
  const name = file.name || `pasted-image.${file.type.split('/')[1]}`;
  const bitmap = await createImageBitmap(file).catch(() => {
    throw new Error(`${name} could not be read as an image.`);
  });
  try {
    const original = await dataUrlOf(file);
    const fits = fitWithin(bitmap.width, bitmap.height, MAX_IMAGE_EDGE);
    if (original.length <= maxChars && fits.width === bitmap.width)
      return { kind: 'image', name, mediaType: file.type, dataUrl: original };
    let size = fits;
    for (let attempt = 0; attempt < 6; attempt++) {
      const dataUrl = encode(
        bitmap,
        size,
        attempt === 0 && file.type === 'image/png' ? 'image/png' : 'image/jpeg',
      );
      if (dataUrl.length <= maxChars)
        return { kind: 'image', name, mediaType: dataUrl.slice(5, dataUrl.indexOf(';')), dataUrl };
      size = fitWithin(size.width, size.height, Math.round(Math.max(size.width, size.height) * 0.75));
    }
    throw new Error(`${name} is too large to attach, even scaled down.`);
  } finally {
    bitmap.close();
  }
}

function encode(bitmap: ImageBitmap, size: { width: number; height: number }, type: string): string {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot resize images.');
  if (type === 'image/jpeg') {
    // JPEG has no transparency: put transparent areas on white rather than black.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size.width, size.height);
  }
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  return canvas.toDataURL(type, 0.85);
}

function dataUrlOf(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error('The image could not be read.'));
    reader.readAsDataURL(file);
  });
}
