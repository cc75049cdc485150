import QRCode from 'qrcode';

/**
 * Modules of white around the symbol that a reader needs to find it (ISO/IEC 18004's quiet
 * zone). Labels keep all of it inside their own edge: the stock around them may be printed on.
 */
export const QUIET_ZONE = 4;

/** A QR symbol's modules, row by row: `dark(row, col)`. */
export interface QrMatrix {
  size: number;
  dark(row: number, col: number): boolean;
}

/**
 * The QR symbol of `text`, at error correction level M (15% of the symbol may be lost): labels
 * outdoors get scratched and dirty, and a longer URL would pay for Q or H with a denser symbol.
 */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (row, col) => modules.get(row, col) === 1 };
}

/**
 * The dark modules as one SVG path in module units, the quiet zone included (the symbol's
 * top-left module at QUIET_ZONE, QUIET_ZONE): one rectangle per horizontal run of dark modules,
 * which halves the text against one per module - a sheet of 24 labels stays a few hundred KB.
 */
export function qrPath(matrix: QrMatrix): string {
  const parts: string[] = [];
  for (let row = 0; row < matrix.size; row++) {
    let col = 0;
    while (col < matrix.size) {
      if (!matrix.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < matrix.size && matrix.dark(row, col)) col++;
      const run = col - start;
      parts.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`);
    }
  }
  return parts.join('');
}
