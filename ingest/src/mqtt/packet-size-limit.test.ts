import { describe, expect, it } from 'vitest';
import { PacketSizes } from './packet-size-limit.ts';

describe('PacketSizes', () => {
  // PINGREQ (no body), then a PUBLISH with a 200-byte body: remaining length 0xc8 0x01.
  const stream = Buffer.concat([Buffer.from([0xc0, 0x00, 0x30, 0xc8, 0x01]), Buffer.alloc(200)]);

  it('passes packets within the limit, however the stream is cut', () => {
    for (const cut of [1, 2, 3, 4, 5, 100, stream.length]) {
      const sizes = new PacketSizes(200);
      expect(sizes.scan(stream.subarray(0, cut))).toBeUndefined();
      expect(sizes.scan(stream.subarray(cut))).toBeUndefined();
      // The next packet's header is read as a header, not as body.
      expect(sizes.scan(Buffer.from([0x30, 0xc9, 0x01]))?.message).toMatch(/201 bytes exceeds 200/);
    }
  });

  it('refuses a length over the limit from its header alone', () => {
    expect(new PacketSizes(1024).scan(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]))?.message).toMatch(/exceeds 1024/);
  });

  it('refuses a remaining length longer than four bytes', () => {
    expect(new PacketSizes(1024).scan(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80]))?.message).toMatch(/malformed/);
  });
});
