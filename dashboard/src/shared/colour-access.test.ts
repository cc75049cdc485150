import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EAQI_COLORS, type Rgb, SEVERITY_COLORS, STATE_COLORS } from './palette.ts';

/**
 * The colours, checked as people with colour-vision deficiencies and low vision see them:
 * - colours that stand for different things stay apart (CIELAB ΔE ≥ 10, where 2.3 is just
 *   noticeable) for normal vision and simulated protanopia, deuteranopia and tritanopia
 *   (Machado, Oliveira & Fernandes 2009, severity 1.0, in linear RGB);
 * - text meets WCAG 2.1 AA contrast (4.5:1) on every surface it is set on, and the focus ring
 *   and the controls' borders 3:1 (non-text contrast), in both stylesheets' colours.
 */

const VISION: Record<string, number[][]> = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

const toLinear = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** CIELAB (D65) of `rgb` as `vision` sees it. */
function lab(rgb: Rgb, vision: number[][]): [number, number, number] {
  const [lr, lg, lb] = rgb.map(toLinear) as [number, number, number];
  const [r, g, b] = vision.map(([a = 0, b = 0, c = 0]) => Math.min(1, Math.max(0, a * lr + b * lg + c * lb))) as [
    number,
    number,
    number,
  ];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** The closest pair of `colours` as `vision` sees them. */
function closestPair(colours: Record<string, Rgb>, vision: number[][]): { pair: string; deltaE: number } {
  const entries = Object.entries(colours).map(([name, rgb]) => [name, lab(rgb, vision)] as const);
  let closest = { pair: '', deltaE: Number.POSITIVE_INFINITY };
  entries.forEach(([a, la], i) => {
    for (const [b, lb] of entries.slice(i + 1)) {
      const deltaE = Math.hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
      if (deltaE < closest.deltaE) closest = { pair: `${a}/${b}`, deltaE };
    }
  });
  return closest;
}

const { lampOn, lampOff, lampFailed, ...objectStates } = STATE_COLORS;
const SETS: Record<string, Record<string, Rgb>> = {
  severities: SEVERITY_COLORS,
  'object states': objectStates,
  'lamp states': { lampOn, lampOff, lampFailed },
  'air quality bands': Object.fromEntries(EAQI_COLORS.map((c, i) => [`band ${i + 1}`, c])),
};

describe('colours that mean different things', () => {
  for (const [set, colours] of Object.entries(SETS))
    for (const [vision, matrix] of Object.entries(VISION))
      it(`${set} stay apart in ${vision}`, () => {
        const { pair, deltaE } = closestPair(colours, matrix);
        expect(deltaE, `${pair} ΔE ${deltaE.toFixed(1)}`).toBeGreaterThanOrEqual(10);
      });

  it('finds a red-green pair too close for deuteranopia (the check can fail)', () => {
    const { deltaE } = closestPair({ red: [200, 60, 40], green: [90, 140, 40] }, VISION.deuteranopia as number[][]);
    expect(deltaE).toBeLessThan(10);
  });
});

/** A stylesheet's `--name: #rrggbb` custom properties. */
function customColours(file: string): Record<string, string> {
  const css = readFileSync(new URL(file, import.meta.url), 'utf8');
  return Object.fromEntries([...css.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-f]{6})\b/gi)].map((m) => [m[1], m[2]]));
}

const hex = (h: string): Rgb => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as unknown as Rgb;
const luminance = (rgb: Rgb) => {
  const [r, g, b] = rgb.map(toLinear) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
/** WCAG 2.1 contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(hex(a)), luminance(hex(b))].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** [foreground, background, minimum ratio] per stylesheet, as the pages set them. */
const PAIRINGS: Record<string, [string, string, number][]> = {
  // Wall and desk: light text on dark surfaces; the accent button's text is black.
  '../shared/base.css': [
    ['text', 'bg', 4.5],
    ['text', 'panel', 4.5],
    ['text', 'panel-2', 4.5],
    ['muted', 'bg', 4.5],
    ['muted', 'panel', 4.5],
    ['muted', 'panel-2', 4.5],
    ['#000000', 'accent', 4.5],
    ['accent', 'panel', 4.5],
    ['focus', 'bg', 3],
    ['focus', 'panel', 3],
  ],
  // The resident page: dark text on light surfaces; the primary button's text is white.
  '../resident/resident.css': [
    ['text', 'bg', 4.5],
    ['text', 'panel', 4.5],
    ['text', 'panel-2', 4.5],
    ['muted', 'bg', 4.5],
    ['muted', 'panel', 4.5],
    ['accent', 'panel', 4.5],
    ['accent', 'panel-2', 4.5],
    ['#ffffff', 'accent', 4.5],
    ['error', 'panel', 4.5],
    ['ok', 'panel', 4.5],
    ['muted', '#ffffff', 3],
    ['focus', 'bg', 3],
    ['focus', 'panel', 3],
  ],
};

describe('contrast', () => {
  for (const [file, pairings] of Object.entries(PAIRINGS)) {
    const colours = customColours(file);
    const colour = (name: string) => (name.startsWith('#') ? name : (colours[name] ?? `missing --${name}`));
    for (const [fg, bg, minimum] of pairings)
      it(`${file.split('/').pop()}: ${fg} on ${bg} ≥ ${minimum}:1`, () => {
        const ratio = contrast(colour(fg), colour(bg));
        expect(ratio, `${colour(fg)} on ${colour(bg)}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(minimum);
      });
  }

  it('measures black on white as 21:1 and a grey on grey below 3:1 (the check can fail)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#999999')).toBeLessThan(3);
  });
});
