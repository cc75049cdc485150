import { describe, expect, it } from 'vitest';
import { expectedModules, modulesOfPath } from '../../test/qr-modules.ts';
import { xmlProblem } from '../../test/xml-well-formed.ts';
import {
  LABEL_STOCK,
  LABELS_PER_PAGE,
  type LabelContent,
  labelSheet,
  labelSheets,
  numberSetting,
  pageCount,
  residentUrl,
  wrap,
} from './label-sheet.ts';
import { QUIET_ZONE } from './qr-symbol.ts';

const PUBLIC_URL = 'https://city.example.org';

const labels = (n: number): LabelContent[] =>
  Array.from({ length: n }, (_, i) => ({
    number: `ОП-03-${String(i + 1).padStart(5, '0')}`,
    typeLabel: 'опора освітлення',
    address: i % 2 === 0 ? `вул. Соборна, ${i + 1}` : null,
  }));

const unescapeXml = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '',
  );

/** The QR codes of a sheet in order: the URL each links to, its module size and its dark modules. */
function qrCodes(svg: string) {
  return [
    ...svg.matchAll(
      /<a href="([^"]*)"><path transform="translate\(1\.5 1\.5\) scale\(([\d.]+)\)" [^>]*d="([^"]*)"\/><\/a>/g,
    ),
  ].map(([, href, scale, d]) => ({
    url: unescapeXml(href as string),
    scale: Number(scale),
    dark: modulesOfPath(d as string),
  }));
}

/** Text of the sheet's <text> elements, in order. */
const texts = (svg: string) =>
  [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map(([, t]) => unescapeXml(t as string));

describe('QR label sheets', () => {
  it('opens the resident page of the number, the number encoded for a URL', () => {
    expect(residentUrl(PUBLIC_URL, 'ОП-03-00417')).toBe('https://city.example.org/r/%D0%9E%D0%9F-03-00417');
    expect(residentUrl('https://city.example.org/twin/', 'A/B?c')).toBe('https://city.example.org/twin/r/A%2FB%3Fc');
  });

  it('lays out a full sheet as a well-formed A4 SVG, a QR code per label that encodes its URL', () => {
    const sheet = labelSheet(labels(LABELS_PER_PAGE), { publicUrl: PUBLIC_URL, page: 1, pages: 1 });
    expect(xmlProblem(sheet)).toBeUndefined();
    expect(sheet).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="210mm" height="297mm" viewBox="0 0 210 297"/,
    );
    // Self-contained: no link to anything but the labels' own resident pages.
    expect(sheet).not.toMatch(/<image|@import|url\(|xlink|<style/);
    const codes = qrCodes(sheet);
    expect(codes).toHaveLength(LABELS_PER_PAGE);
    labels(LABELS_PER_PAGE).forEach((label, i) => {
      const code = codes[i];
      const url = residentUrl(PUBLIC_URL, label.number);
      expect(code?.url).toBe(url);
      const expected = expectedModules(url);
      expect(code?.dark).toEqual(expected.dark);
      // The symbol and its quiet zone fill the white square beside the text: 4 modules of white all round.
      expect((code?.scale ?? 0) * (expected.size + 2 * QUIET_ZONE)).toBeCloseTo(LABEL_STOCK.labelHeightMm - 3, 3);
    });
    expect(sheet.match(/<rect [^>]*fill="#fff"\/>/g)).toHaveLength(LABELS_PER_PAGE);
    // Number (two lines: `ОП-03-` over `00417`), type and, for every other label, the address.
    expect(texts(sheet).slice(0, 7)).toEqual([
      'ОП-03-',
      '00001',
      'опора',
      'освітлення',
      'вул. Соборна, 1',
      'ОП-03-',
      '00002',
    ]);
  });

  it('places labels on the stock: 3 columns of 8 rows, row by row, inside the page', () => {
    const sheet = labelSheet(labels(LABELS_PER_PAGE), { publicUrl: PUBLIC_URL });
    const origins = [...sheet.matchAll(/<g transform="translate\(([\d.]+) ([\d.]+)\)">/g)].map(([, x, y]) => [
      Number(x),
      Number(y),
    ]);
    expect(origins).toHaveLength(24);
    expect(origins.slice(0, 4)).toEqual([
      [7.25, 12.9],
      [73.25, 12.9],
      [139.25, 12.9],
      [7.25, 46.8],
    ]);
    for (const [x, y] of origins) {
      expect((x as number) + LABEL_STOCK.labelWidthMm).toBeLessThanOrEqual(LABEL_STOCK.pageWidthMm);
      expect((y as number) + LABEL_STOCK.labelHeightMm).toBeLessThanOrEqual(LABEL_STOCK.pageHeightMm + 1e-9);
    }
    // Text stays in its label: x after the QR square, baselines above the label's bottom edge.
    for (const [, x, y] of sheet.matchAll(/<text x="([\d.]+)" y="([\d.]+)"/g)) {
      expect(Number(x)).toBeGreaterThan(LABEL_STOCK.labelHeightMm - 1.5);
      expect(Number(y)).toBeLessThan(LABEL_STOCK.labelHeightMm - 1.5);
    }
    expect(() => labelSheet(labels(25), { publicUrl: PUBLIC_URL })).toThrow(RangeError);
  });

  it('escapes text and drops what XML cannot hold', () => {
    const hostile: LabelContent = {
      number: `<b>&"'</b>`,
      typeLabel: 'a & b < c 🌳',
      address: 'вул. "Нова" \u0001, 5 ]]> \uD800',
    };
    const sheet = labelSheet([hostile], { publicUrl: PUBLIC_URL });
    expect(xmlProblem(sheet)).toBeUndefined();
    expect(texts(sheet).join(' ')).toContain('a & b < c 🌳');
    expect(texts(sheet).join(' ')).toContain('вул. "Нова" , 5 ]]>');
    expect(qrCodes(sheet)[0]?.url).toBe(residentUrl(PUBLIC_URL, hostile.number));
  });

  it('splits labels into sheets of 24, numbered in their titles', () => {
    expect(pageCount(0)).toBe(0);
    expect(pageCount(24)).toBe(1);
    expect(pageCount(25)).toBe(2);
    expect(labelSheets([], { publicUrl: PUBLIC_URL })).toEqual([]);
    const sheets = labelSheets(labels(50), { publicUrl: PUBLIC_URL });
    expect(sheets).toHaveLength(3);
    expect(sheets.map((s) => qrCodes(s).length)).toEqual([24, 24, 2]);
    expect(sheets[2]).toContain('<title>QR labels, sheet 3 of 3</title>');
    expect(qrCodes(sheets[2] as string)[1]?.url).toBe(residentUrl(PUBLIC_URL, 'ОП-03-00050'));
    for (const s of sheets) expect(xmlProblem(s)).toBeUndefined();
  });

  it('sets the number large, on two lines after a dash when one would make it small', () => {
    expect(numberSetting('ОП-03-00417')).toEqual({ lines: ['ОП-03-', '00417'], size: 7, squeezed: false });
    expect(numberSetting('A-1')).toMatchObject({ lines: ['A-1'], size: 7 });
    const long = numberSetting('X'.repeat(64));
    expect(long).toMatchObject({ lines: ['X'.repeat(64)], squeezed: true });
  });

  it('wraps type and address into two lines at most, with an ellipsis', () => {
    expect(wrap('опора освітлення', 2.8, 2)).toEqual(['опора', 'освітлення']);
    expect(wrap('люк', 2.8, 2)).toEqual(['люк']);
    const long = wrap('шафа керування освітленням і ще багато слів про неї', 2.8, 2);
    expect(long).toHaveLength(2);
    expect(long[1]).toMatch(/…$/);
    expect(wrap('Надзвичайнодовжелезнаназвавулицібезпробілів', 2.6, 2).join('')).toMatch(/^Надзвичайно.*…$/);
  });
});
