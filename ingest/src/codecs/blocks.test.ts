import { describe, expect, it } from 'vitest';
import {
  ByteReader,
  batteryFromVolts,
  batteryPercent,
  bitsLE,
  decimalShift,
  defineCodec,
  distanceToFill,
  fillFromDistance,
  hexKey,
  metricsFrom,
  PayloadError,
  safeDecode,
  safeEncode,
  scaled,
  walkRecords,
} from './blocks.ts';

describe('ByteReader', () => {
  it('reads little- and big-endian integers', () => {
    const r = new ByteReader(Uint8Array.from([0x34, 0x12, 0x12, 0x34, 0xff]));
    expect(r.u16le()).toBe(0x1234);
    expect(r.u16be()).toBe(0x1234);
    expect(r.i8()).toBe(-1);
    expect(r.remaining).toBe(0);
  });

  it('reads 24-bit big-endian values, signed and unsigned', () => {
    const r = new ByteReader(Uint8Array.from([0x07, 0xfd, 0x87, 0xff, 0xff, 0xfe]));
    expect(r.u24be()).toBe(523655);
    expect(r.i24be()).toBe(-2);
  });

  it('refuses to read past the end', () => {
    const r = new ByteReader(Uint8Array.from([1]));
    expect(() => r.u16le()).toThrow(/too short/);
  });
});

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

describe('walkRecords', () => {
  const step = (r: ByteReader, out: Record<string, unknown>) => {
    const type = r.u8();
    if (type !== 1) return `unknown type ${type}`;
    out.value = r.u8();
    return undefined;
  };

  it('reads every record; a repeated type overwrites', () => {
    const warnings: string[] = [];
    expect(walkRecords(Uint8Array.of(1, 5, 1, 6), warnings, step)).toEqual({ value: 6 });
    expect(warnings).toEqual([]);
  });

  it('keeps what came before an unknown record, with a warning', () => {
    const warnings: string[] = [];
    expect(walkRecords(Uint8Array.of(1, 5, 9, 9, 9), warnings, step)).toEqual({ value: 5 });
    expect(warnings).toEqual(['unknown type 9; 3 byte(s) from offset 2 not decoded']);
  });

  it('is an error when nothing can be read', () => {
    expect(() => walkRecords(new Uint8Array(), [], step)).toThrow('empty payload');
    expect(() => walkRecords(Uint8Array.of(9, 1), [], step)).toThrow('unknown type 9');
  });

  it('is an error when a known record is cut short', () => {
    expect(() => walkRecords(Uint8Array.of(1, 5, 1), [], step)).toThrow(/too short/);
  });
});

describe('bitsLE', () => {
  it('reads bit fields least-significant bit first, across bytes', () => {
    // 14-bit values 14 and 8 packed from bit 0: 0b00_0000_0000_1110 then 0b00_0000_0000_1000.
    const bytes = Uint8Array.of(0x0e, 0x00, 0x02, 0x00);
    expect(bitsLE(bytes, 0, 14)).toBe(14);
    expect(bitsLE(bytes, 14, 14)).toBe(8);
  });

  it('refuses bits past the end', () => {
    expect(() => bitsLE(Uint8Array.of(0xff), 4, 8)).toThrow(PayloadError);
  });
});

describe('hexKey', () => {
  it('writes a code as the padded lower-case hex vendors document', () => {
    expect(hexKey(0x0b01, 2)).toBe('0b01');
    expect(hexKey((0x05 << 8) | 0xc8, 2)).toBe('05c8');
    expect(hexKey(0x5a, 1)).toBe('5a');
  });
});

describe('scaled and decimalShift', () => {
  it('give the decimal a vendor prints, without float noise', () => {
    expect(scaled(308, 10)).toBe(30.8);
    expect(scaled(-156, 10)).toBe(-15.6);
    expect(decimalShift(2013060, -3)).toBe(2013.06);
    expect(decimalShift(11, 2)).toBe(1100);
  });
});

describe('metricsFrom', () => {
  it('turns booleans into 1/0 and skips absent or non-finite values', () => {
    expect(
      metricsFrom([
        ['tilt', true],
        ['leak', false],
        ['battery', undefined],
        ['temperature', Number.NaN],
        ['humidity', 40],
      ]),
    ).toEqual([
      { metric: 'tilt', value: 1 },
      { metric: 'leak', value: 0 },
      { metric: 'humidity', value: 40 },
    ]);
  });
});

describe('distanceToFill', () => {
  it('is 0 % at the floor, 100 % at the sensor, clamped outside', () => {
    expect(distanceToFill(1000, 1000)).toBe(0);
    expect(distanceToFill(250, 1000)).toBe(75);
    expect(distanceToFill(0, 1000)).toBe(100);
    expect(distanceToFill(5000, 1000)).toBe(0);
  });

  it('uses the object bin depth, else the default', () => {
    expect(fillFromDistance(400, { binDepthMm: 800 })).toEqual([
      ['distance', 400],
      ['fill_level', 50],
    ]);
    expect(fillFromDistance(600, {})).toEqual([
      ['distance', 600],
      ['fill_level', 50],
    ]);
    expect(fillFromDistance(undefined, {})).toEqual([]);
  });
});

describe('batteryPercent', () => {
  it('is linear from 3.0 V (0 %) to 3.6 V (100 %), clamped', () => {
    expect(batteryPercent(3.0)).toBe(0);
    expect(batteryPercent(3.3)).toBe(50);
    expect(batteryPercent(3.6)).toBe(100);
    expect(batteryPercent(3.8)).toBe(100);
    expect(batteryPercent(2.5)).toBe(0);
  });

  it('emits both the percentage and the voltage', () => {
    expect(batteryFromVolts(3.45)).toEqual([
      ['battery', 75],
      ['battery_voltage', 3.45],
    ]);
  });
});
