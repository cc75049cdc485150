import { describe, expect, it } from 'vitest';
import { expectedModules, modulesOfPath } from '../../test/qr-modules.ts';
import { qrMatrix, qrPath } from './qr-symbol.ts';

describe('QR symbols as SVG paths', () => {
  it.each([
    'https://city.example.org/r/%D0%9E%D0%9F-03-00417',
    'http://localhost:8080/r/X',
    `https://city.example.org/twin/r/${'A'.repeat(64)}`,
  ])('draws every dark module of %s and nothing else, inside the quiet zone', (text) => {
    const expected = expectedModules(text);
    const matrix = qrMatrix(text);
    expect(matrix.size).toBe(expected.size);
    const drawn = modulesOfPath(qrPath(matrix));
    expect(drawn).toEqual(expected.dark);
    for (const cell of drawn) {
      const [row, col] = cell.split(',').map(Number) as [number, number];
      expect(row).toBeGreaterThanOrEqual(0);
      expect(col).toBeGreaterThanOrEqual(0);
      expect(row).toBeLessThan(matrix.size);
      expect(col).toBeLessThan(matrix.size);
    }
  });
});
