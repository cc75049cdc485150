import { describe, expect, it } from 'vitest';
import { CopyRows, copyField } from './copy-text.ts';

describe('COPY text', () => {
  it('escapes what COPY would read as a separator, and writes null as \\N', () => {
    expect(copyField('ОП-03-00417')).toBe('ОП-03-00417');
    expect(copyField('a\tb\\c\nd\re')).toBe('a\\tb\\\\c\\nd\\re');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(-7.25)).toBe('-7.25');
  });

  it('keeps appended rows whole in UTF-8 as the buffer grows', () => {
    const rows = new CopyRows();
    const line = 'ОП-03-00417\tзначення\t1.5\n';
    for (let i = 0; i < 10_000; i++) rows.append(line, 1);
    expect(rows.count).toBe(10_000);
    expect(rows.bytes.length).toBe(Buffer.byteLength(line) * 10_000);
    expect(rows.bytes.toString('utf8')).toBe(line.repeat(10_000));
  });
});
