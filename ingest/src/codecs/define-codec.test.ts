import { describe, expect, it } from 'vitest';
import { ByteReader, PayloadError } from './byte-reader.ts';
import { defineCodec, safeDecode, safeEncode } from './define-codec.ts';
import { metricsFrom } from './normalise.ts';

describe('safeDecode', () => {
  it('turns a throw into errors', () => {
    const result = safeDecode({ fPort: 1, bytes: new Uint8Array() }, ({ bytes }) => new ByteReader(bytes).u8());
    expect(result).toEqual({ errors: [expect.stringContaining('too short')] });
  });
});

describe('defineCodec', () => {
  const codec = defineCodec<{ first: number }>({
    model: 'test/one-byte',
    vendor: 'Test',
    name: 'one byte',
    class: 'io',
    metrics: ['digital_input'],
    fPorts: [5],
    decode: (bytes) => ({ first: new ByteReader(bytes).u8() }),
    toMetrics: (data) => metricsFrom([['digital_input', data.first]]),
  });

  it('decodes on its ports and names any other port unknown, as TTN decoders do', () => {
    expect(codec.decodeUplink({ fPort: 5, bytes: Uint8Array.of(7) })).toEqual({ data: { first: 7 }, warnings: [] });
    expect(codec.decodeUplink({ fPort: 6, bytes: Uint8Array.of(7) })).toEqual({ errors: ['unknown FPort 6'] });
  });

  it('keeps the spec out of the codec object', () => {
    expect(codec).not.toHaveProperty('decode');
  });
});

describe('safeEncode', () => {
  it('turns a PayloadError into errors', () => {
    expect(
      safeEncode(() => {
        throw new PayloadError('no such command');
      }),
    ).toEqual({ errors: ['no such command'] });
  });
});
