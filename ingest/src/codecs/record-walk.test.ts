import { describe, expect, it } from 'vitest';
import type { ByteReader } from './byte-reader.ts';
import { walkRecords } from './record-walk.ts';

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
