/**
 * A report's photo, made ready on the phone: decoded, drawn no larger than MAX_SIDE on a canvas
 * and encoded as JPEG until it is small enough - a phone's 6 MB photo becomes a few hundred KB,
 * which a slow connection sends in seconds and which stays under the server's MAX_PHOTO_BYTES.
 * Re-encoding also drops the file's metadata (EXIF: the phone's model, often the GPS position
 * of the resident's home when the photo was taken there).
 */

/** Longest side in pixels: enough to see a broken wire or an open manhole. */
const MAX_SIDE = 1600;
/** What the page aims for, for slow connections; up to the server's limit is accepted if no smaller encoding is found. */
const SOFT_TARGET_BYTES = 600 * 1024;
/** A file larger than this is not decoded at all: no phone photo is, and decoding it could exhaust a small phone. */
const MAX_INPUT_BYTES = 40 * 1024 * 1024;
/** Tried in order, each smaller than the last: the first under the soft target wins. */
const ATTEMPTS: ReadonlyArray<{ side: number; quality: number }> = [
  { side: MAX_SIDE, quality: 0.82 },
  { side: MAX_SIDE, quality: 0.65 },
  { side: 1200, quality: 0.65 },
  { side: 900, quality: 0.6 },
  { side: 640, quality: 0.55 },
];

export interface PreparedPhoto {
  contentType: 'image/jpeg';
  /** Base64 of the JPEG, as the API's ReportPhoto takes it. */
  data: string;
  bytes: number;
  /** A `blob:` URL to show it; revoke it when the photo is dropped. */
  previewUrl: string;
}

export type PhotoProblem = 'not_an_image' | 'too_big';

export async function preparePhoto(file: Blob, maxBytes: number): Promise<PreparedPhoto | PhotoProblem> {
  if (file.size > MAX_INPUT_BYTES) return 'too_big';
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return 'not_an_image';
  }
  try {
    let best: Blob | undefined;
    for (const { side, quality } of ATTEMPTS) {
      const blob = await encode(bitmap, side, quality);
      if (!blob) continue;
      if (blob.size <= maxBytes && (!best || blob.size < best.size)) best = blob;
      if (blob.size <= SOFT_TARGET_BYTES) break;
    }
    if (!best) return 'too_big';
    return {
      contentType: 'image/jpeg',
      data: await base64Of(best),
      bytes: best.size,
      previewUrl: URL.createObjectURL(best),
    };
  } finally {
    bitmap.close();
  }
}

/** Width and height that fit `side` on the longer edge, never enlarged. */
export function fitWithin(width: number, height: number, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function encode(bitmap: ImageBitmap, side: number, quality: number): Promise<Blob | null> {
  const { width, height } = fitWithin(bitmap.width, bitmap.height, side);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return Promise.resolve(null);
  // JPEG has no transparency: a transparent PNG would turn black without a white ground.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
