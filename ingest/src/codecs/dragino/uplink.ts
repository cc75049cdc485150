import { PayloadError } from '../byte-reader.ts';

/** Dragino sends sensor data on fPort 2 in fixed-length frames and names other ports unknown. */
export const DRAGINO_DATA_FPORT = 2;

export function expectLength(bytes: Uint8Array, length: number): void {
  if (bytes.length !== length) throw new PayloadError(`expected ${length} bytes, got ${bytes.length}`);
}
