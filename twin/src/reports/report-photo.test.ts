import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES } from '../contract/input-limits.ts';
import { decodePhoto } from './report-photo.ts';

const b64 = (b: Buffer) => b.toString('base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe1, 1, 2, 3]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBPVP8L')]);

describe('report photos', () => {
  it('take JPEG, PNG and WebP files of the stated type', () => {
    expect(decodePhoto({ contentType: 'image/jpeg', data: b64(JPEG) })).toEqual({
      contentType: 'image/jpeg',
      data: JPEG,
    });
    expect(decodePhoto({ contentType: 'image/png', data: b64(PNG) })).toEqual({ contentType: 'image/png', data: PNG });
    expect(decodePhoto({ contentType: 'image/webp', data: b64(WEBP) })).toEqual({
      contentType: 'image/webp',
      data: WEBP,
    });
  });

  it('refuse a file of another type than stated, a short one, bad base64, and more than 2 MB', () => {
    expect(decodePhoto({ contentType: 'image/png', data: b64(JPEG) })).toMatch(/not a image\/png/);
    expect(decodePhoto({ contentType: 'image/jpeg', data: b64(PNG) })).toMatch(/not a image\/jpeg/);
    expect(decodePhoto({ contentType: 'image/webp', data: b64(Buffer.from('RIFF0000WAVEfmt ')) })).toMatch(/webp/);
    expect(decodePhoto({ contentType: 'image/jpeg', data: b64(Buffer.from([0xff, 0xd8])) })).toMatch(/not a/);
    expect(decodePhoto({ contentType: 'image/jpeg', data: '/9j/4A' })).toMatch(/base64/);
    const big = Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES)]);
    expect(decodePhoto({ contentType: 'image/jpeg', data: b64(big) })).toMatch(/at most 2097152/);
    const atLimit = Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES - JPEG.length)]);
    expect(decodePhoto({ contentType: 'image/jpeg', data: b64(atLimit) })).not.toBeTypeOf('string');
  });
});
