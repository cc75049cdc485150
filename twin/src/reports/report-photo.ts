import { MAX_PHOTO_BYTES } from '../contract/input-limits.ts';
import type { PhotoType, ReportPhoto } from '../contract/reports.ts';

export interface PhotoFile {
  contentType: PhotoType;
  data: Buffer;
}

/** Each type's signature: its first bytes (and WebP's at 8 after RIFF's length). */
const SIGNATURES: Readonly<Record<PhotoType, (b: Buffer) => boolean>> = {
  'image/jpeg': (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
};

/**
 * The photo's bytes, or why they are refused: over 2 MB, or not a file of the type it claims.
 * The type is checked by content so that what staff later open is the image it says it is.
 */
export function decodePhoto(photo: ReportPhoto): PhotoFile | string {
  // The schema allows only base64 characters; the length must still come in whole quads.
  if (photo.data.length % 4 !== 0) return 'photo.data is not valid base64';
  const data = Buffer.from(photo.data, 'base64');
  if (data.length > MAX_PHOTO_BYTES) return `the photo has ${data.length} bytes; at most ${MAX_PHOTO_BYTES} are taken`;
  if (!SIGNATURES[photo.contentType](data)) return `the photo is not a ${photo.contentType} file`;
  return { contentType: photo.contentType, data };
}
