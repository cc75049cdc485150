import { LABEL_STOCK } from './label-sheet.ts';
import { escapeXml } from './xml-text.ts';

/**
 * Sheets on paper: A4 pages without margins (the sheets carry their own), one sheet a page. On
 * screen the sheets sit on grey like pages, under a note on how to print them.
 */
const STYLE = `@page { size: A4; margin: 0 }
html, body { margin: 0; padding: 0 }
svg.sheet { display: block; width: ${LABEL_STOCK.pageWidthMm}mm; height: ${LABEL_STOCK.pageHeightMm}mm; break-after: page; page-break-after: always }
svg.sheet:last-of-type { break-after: auto; page-break-after: auto }
@media screen {
  body { background: #777; font-family: sans-serif }
  .note { max-width: ${LABEL_STOCK.pageWidthMm}mm; margin: 8mm auto 0; color: #fff }
  svg.sheet { background: #fff; margin: 8mm auto }
}
@media print { .note { display: none } }`;

/**
 * The HTML document that prints `sheets` (SVG documents of label-sheet.ts), piece by piece so a
 * route can stream it while the next sheet is drawn. No script: the page is printed with the
 * browser's own command, and the server's content security policy allows none.
 */
export async function* labelDocument(
  sheets: AsyncIterable<string> | Iterable<string>,
  meta: { title: string; labels: number },
): AsyncGenerator<string> {
  yield '<!DOCTYPE html>\n<html><head><meta charset="utf-8">' +
    `<title>${escapeXml(meta.title)}</title><style>${STYLE}</style></head><body>` +
    `<p class="note">${escapeXml(meta.title)}: ${meta.labels} labels on ${escapeXml(LABEL_STOCK.name)}. ` +
    'Print at 100% (actual size), without margins or headers.</p>\n';
  for await (const sheet of sheets) yield `${sheet.replace('<svg ', '<svg class="sheet" ')}\n`;
  yield '</body></html>\n';
}
