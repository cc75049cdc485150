import { LorawanError } from './errors.ts';

export function fromHex(hex: string, length: number, what: string): Uint8Array {
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length !== length * 2) {
    throw new LorawanError('BAD_FIELD', `${what} must be ${length} bytes of hex, got "${hex}"`);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/**
 * DevAddr, EUIs and NetID are written most significant byte first (as ChirpStack and device labels
 * show them) but travel little-endian; these two convert between the forms.
 */
export function idToAir(id: string, length: number, what: string): Uint8Array {
  return fromHex(id, length, what).reverse();
}

export function idFromAir(bytes: Uint8Array): string {
  return toHex(Uint8Array.from(bytes).reverse());
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

export function checkUint(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LorawanError('BAD_FIELD', `${what} must be an integer ${min}..${max}, got ${value}`);
  }
}
