import { ByteReader, PayloadError } from '../blocks.ts';

/** Reads one Milesight value once its channel and type bytes are known. */
export type ChannelReader = (r: ByteReader, out: Record<string, unknown>) => void;

/**
 * Milesight payloads are repeated `[channel][type][value]` records, values little-endian.
 * Each model lists the (channel, type) pairs it knows; an unknown pair stops decoding,
 * because its value length is unknown and everything after it would be misread.
 */
export function decodeChannels(bytes: Uint8Array, readers: Record<string, ChannelReader>): Record<string, unknown> {
  const r = new ByteReader(bytes);
  const out: Record<string, unknown> = {};
  while (r.remaining > 0) {
    const channel = r.u8();
    const type = r.u8();
    const key = hex2(channel) + hex2(type);
    const read = readers[key];
    if (!read)
      throw new PayloadError(`unknown channel 0x${hex2(channel)} type 0x${hex2(type)} at offset ${r.position - 2}`);
    read(r, out);
  }
  return out;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

export const battery: ChannelReader = (r, out) => {
  out.battery = r.u8();
};
