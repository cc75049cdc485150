/**
 * Every way a LoRaWAN frame or its inputs can be rejected. Codes are a closed list so a caller
 * (the simulator's device loop, a test) can tell a malformed frame from a bad key.
 * - BAD_LENGTH: a frame whose length does not fit its type's fixed fields
 * - UNSUPPORTED_FRAME: LoRaWAN major version other than R1, or a 1.1 rejoin-request
 * - BAD_FIELD: an input that cannot go on air (key or id of the wrong size, FOpts > 15 bytes,
 *   FPort out of range)
 */
export type LorawanErrorCode = 'BAD_LENGTH' | 'UNSUPPORTED_FRAME' | 'BAD_FIELD';

export class LorawanError extends Error {
  constructor(
    readonly code: LorawanErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LorawanError';
  }
}
