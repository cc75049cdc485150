import QRCode from 'qrcode';
import { expect } from 'vitest';
import { QUIET_ZONE } from '../src/labels/qr-symbol.ts';

/** The dark modules a path of qrPath() draws, as `row,col` of the symbol (quiet zone taken off). */
export function modulesOfPath(d: string): Set<string> {
  const dark = new Set<string>();
  const runs = [...d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)];
  // Every character of the path belongs to a run: nothing drawn that the set does not hold.
  expect(runs.map((r) => r[0]).join('')).toBe(d);
  for (const [, x, y, run, back] of runs) {
    expect(back).toBe(run);
    for (let i = 0; i < Number(run); i++) dark.add(`${Number(y) - QUIET_ZONE},${Number(x) + i - QUIET_ZONE}`);
  }
  return dark;
}

/** The dark modules of the symbol qrcode makes for `text` (level M), as `row,col`. */
export function expectedModules(text: string): { size: number; dark: Set<string> } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const dark = new Set<string>();
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) dark.add(`${row},${col}`);
  }
  return { size: modules.size, dark };
}
