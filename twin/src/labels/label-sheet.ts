import { QUIET_ZONE, qrMatrix, qrPath } from './qr-symbol.ts';
import { escapeXml } from './xml-text.ts';

/** What one label shows: its object's number, what the object is, and where. */
export interface LabelContent {
  number: string;
  typeLabel: string;
  address: string | null;
}

/**
 * The stock the sheets are laid out for: A4, 3 columns x 8 rows of 63.5 x 33.9 mm labels, 2.5 mm
 * between columns, none between rows - Avery L7159 (J8159 for inkjets) and the many sheets sold
 * as compatible with it. Print at 100% ("actual size"), without the printer's margins.
 */
export const LABEL_STOCK = {
  name: 'A4, 24 labels of 63.5 x 33.9 mm in 3 columns x 8 rows (Avery L7159 and compatible)',
  pageWidthMm: 210,
  pageHeightMm: 297,
  columns: 3,
  rows: 8,
  labelWidthMm: 63.5,
  labelHeightMm: 33.9,
  /** The first column's left edge and the first row's top edge. */
  marginLeftMm: 7.25,
  marginTopMm: 12.9,
  /** From one label's left edge to the next one's, and from one row's top edge to the next one's. */
  pitchXMm: 66,
  pitchYMm: 33.9,
} as const;

export const LABELS_PER_PAGE = LABEL_STOCK.columns * LABEL_STOCK.rows;

/** Sheets `labels` labels take. */
export const pageCount = (labels: number): number => Math.ceil(labels / LABELS_PER_PAGE);

/**
 * Millimetres kept clear inside a label's edge: die-cut labels sit up to a millimetre off their
 * nominal place and have rounded corners.
 */
const PAD = 1.5;
/** The QR symbol with its quiet zone: a square as high as the label allows, on its left. */
const QR_SIDE = LABEL_STOCK.labelHeightMm - 2 * PAD;
const TEXT_X = PAD + QR_SIDE + 1.2;
const TEXT_WIDTH = LABEL_STOCK.labelWidthMm - PAD - 0.5 - TEXT_X;
const TEXT_BOTTOM = LABEL_STOCK.labelHeightMm - PAD;

/** Font sizes (mm): the number as large as its column lets it be, within these. */
const NUMBER_MAX = 7;
const NUMBER_MIN = 2.5;
/** Below this on one line, the number is set on two lines, broken after a dash. */
const NUMBER_ONE_LINE_MIN = 5;
const TYPE_SIZE = 2.8;
const ADDRESS_SIZE = 2.6;

/** System fonts only: the SVG must stand alone, and every printer's host has one of these. */
const FONTS = "Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif";

export interface SheetOptions {
  /** PUBLIC_URL: where residents reach the platform; the QR opens `{publicUrl}/r/{number}`. */
  publicUrl: string;
}

/** The resident page of an object: what its QR code opens. */
export function residentUrl(publicUrl: string, number: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/r/${encodeURIComponent(number)}`;
}

/** One SVG document per sheet, in order; none for no labels. */
export function labelSheets(labels: readonly LabelContent[], options: SheetOptions): string[] {
  const pages = pageCount(labels.length);
  return Array.from({ length: pages }, (_, i) =>
    labelSheet(labels.slice(i * LABELS_PER_PAGE, (i + 1) * LABELS_PER_PAGE), { ...options, page: i + 1, pages }),
  );
}

/**
 * One sheet as a self-contained SVG document (no fonts, images or styles from elsewhere; no XML
 * declaration, so that it can sit inline in HTML too), sized A4 with its viewBox in millimetres.
 * Takes up to LABELS_PER_PAGE labels, filled row by row.
 */
export function labelSheet(
  labels: readonly LabelContent[],
  options: SheetOptions & { page?: number; pages?: number },
): string {
  if (labels.length > LABELS_PER_PAGE) {
    throw new RangeError(`a sheet holds ${LABELS_PER_PAGE} labels, not ${labels.length}`);
  }
  const { pageWidthMm: w, pageHeightMm: h } = LABEL_STOCK;
  const title = options.page === undefined ? 'QR labels' : `QR labels, sheet ${options.page} of ${options.pages}`;
  const body = labels.map((label, i) => {
    const x = LABEL_STOCK.marginLeftMm + (i % LABEL_STOCK.columns) * LABEL_STOCK.pitchXMm;
    const y = LABEL_STOCK.marginTopMm + Math.floor(i / LABEL_STOCK.columns) * LABEL_STOCK.pitchYMm;
    return `<g transform="translate(${mm(x)} ${mm(y)})">${labelBody(label, options.publicUrl)}</g>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}mm" height="${h}mm" viewBox="0 0 ${w} ${h}" ` +
    `font-family="${FONTS}" fill="#000"><title>${escapeXml(title)}</title>${body.join('')}</svg>`
  );
}

/** A label in its own millimetres, top-left at 0,0: the QR code on the left, its text on the right. */
function labelBody(label: LabelContent, publicUrl: string): string {
  const url = residentUrl(publicUrl, label.number);
  const matrix = qrMatrix(url);
  const module = QR_SIDE / (matrix.size + 2 * QUIET_ZONE);
  const parts = [
    `<rect x="${PAD}" y="${PAD}" width="${mm(QR_SIDE)}" height="${mm(QR_SIDE)}" fill="#fff"/>`,
    `<a href="${escapeXml(url)}"><path transform="translate(${PAD} ${PAD}) scale(${module.toFixed(5)})" ` +
      `shape-rendering="crispEdges" d="${qrPath(matrix)}"/></a>`,
  ];

  let top = PAD + 0.4;
  const line = (text: string, size: number, lineHeight: number, bold: boolean, fit?: number): boolean => {
    if (top + size * lineHeight > TEXT_BOTTOM + 0.01) return false;
    const squeeze = fit === undefined ? '' : ` textLength="${mm(fit)}" lengthAdjust="spacingAndGlyphs"`;
    parts.push(
      `<text x="${mm(TEXT_X)}" y="${mm(top + size * 0.8)}" font-size="${mm(size)}"${bold ? ' font-weight="bold"' : ''}${squeeze}>` +
        `${escapeXml(text)}</text>`,
    );
    top += size * lineHeight;
    return true;
  };

  const number = numberSetting(label.number);
  for (const text of number.lines) line(text, number.size, 1.05, true, number.squeezed ? TEXT_WIDTH : undefined);
  top += 1;
  for (const text of wrap(label.typeLabel, TYPE_SIZE, 2)) line(text, TYPE_SIZE, 1.2, false);
  top += 0.6;
  if (label.address) {
    for (const text of wrap(label.address, ADDRESS_SIZE, 2)) if (!line(text, ADDRESS_SIZE, 1.2, false)) break;
  }
  return parts.join('');
}

/**
 * How the number is set: on one line if it is large enough there, else broken after the dash
 * nearest its middle (`ОП-03-` over `00417`, twice the size); squeezed to the column only when even
 * the smallest size would overflow it (a number of the city's own, far longer than the scheme's).
 */
export function numberSetting(number: string): { lines: string[]; size: number; squeezed: boolean } {
  const sizeFor = (lines: string[]) => TEXT_WIDTH / Math.max(...lines.map(emWidth));
  const one = [number];
  let lines = one;
  if (sizeFor(one) < NUMBER_ONE_LINE_MIN) {
    const dashes = [...number.matchAll(/-/g)].map((m) => m.index).filter((i) => i > 0 && i < number.length - 1);
    const middle = number.length / 2;
    const cut = dashes.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))[0];
    if (cut !== undefined) {
      const two = [number.slice(0, cut + 1), number.slice(cut + 1)];
      if (sizeFor(two) > sizeFor(one)) lines = two;
    }
  }
  const fit = sizeFor(lines);
  return { lines, size: Math.max(NUMBER_MIN, Math.min(NUMBER_MAX, fit)), squeezed: fit < NUMBER_MIN };
}

/**
 * `text` in at most `maxLines` lines of the text column at `size`, broken between words (inside
 * a word too long for a line); what does not fit ends in an ellipsis.
 */
export function wrap(text: string, size: number, maxLines: number): string[] {
  const width = TEXT_WIDTH / size;
  const fits = (s: string) => emWidth(s) <= width;
  const lines: string[] = [];
  let current = '';
  const words = text.trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    let word = words[i] as string;
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) {
      lines.push(current);
      current = '';
    }
    // A word wider than a line is cut wherever the line ends.
    while (!fits(word)) {
      let cut = word.length - 1;
      while (cut > 1 && !fits(word.slice(0, cut))) cut--;
      lines.push(word.slice(0, cut));
      word = word.slice(cut);
    }
    current = word;
    if (lines.length >= maxLines) break;
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  let last = lines[maxLines - 1] as string;
  while (last.length > 0 && !fits(`${last}…`)) last = last.slice(0, -1);
  return [...lines.slice(0, maxLines - 1), `${last.trimEnd()}…`];
}

/**
 * Width of `text` in ems, estimated per character on the wide side - DejaVu Sans Bold's, the
 * widest of FONTS (no metrics without embedding a font): text falls short of its column rather
 * than over it.
 */
function emWidth(text: string): number {
  let em = 0;
  for (const ch of text) {
    if (/[0-9]/.test(ch)) em += 0.7;
    else if (ch === '-' || ch === '.' || ch === ',' || ch === ' ') em += 0.42;
    else if (/[ЖШЩЮФЫWM]/.test(ch)) em += 1.2;
    else if (/[жшщюмфыmw]/.test(ch)) em += 1.05;
    else if (/[А-ЯЁЄІЇҐA-Z]/.test(ch)) em += 0.86;
    else em += 0.64;
  }
  return em;
}

/** Millimetres as the SVG writes them: two decimals at most. */
const mm = (n: number) => String(Math.round(n * 100) / 100);
