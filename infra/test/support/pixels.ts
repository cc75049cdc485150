import { decodePng } from './png.ts';

export type Rgb = readonly [number, number, number];

export interface PixelQuery {
  /** Where to count (default: the whole image). */
  box?: { x: number; y: number; width: number; height: number };
  /** Points to probe: each is a hit when its 5x5 box holds one of the colours. */
  probes?: readonly (readonly [number, number])[];
  /** A point to count around: the pixels 6-24 px from it (an alarm's ring), at a looser tolerance (40). */
  ring?: readonly [number, number];
  /** How far each channel may be from a colour (default 14: a colour drawn over anti-aliased edges). */
  tolerance?: number;
}

export interface PixelCount {
  /** Pixels near one of the colours in the box. */
  total: number;
  probes: boolean[];
  ring: number;
}

/** Counts a screenshot's pixels near `colours`: in a box, at probe points, in a ring around a point. */
export function countPixels(png: Buffer, colours: readonly Rgb[], query: PixelQuery = {}): PixelCount {
  const { width, height, channels, data } = decodePng(png);
  const near = (x: number, y: number, tolerance = query.tolerance ?? 14) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    const i = (y * width + x) * channels;
    return colours.some(
      ([r, g, b]) =>
        Math.abs((data[i] as number) - r) <= tolerance &&
        Math.abs((data[i + 1] as number) - g) <= tolerance &&
        Math.abs((data[i + 2] as number) - b) <= tolerance,
    );
  };
  const box = query.box ?? { x: 0, y: 0, width, height };
  let total = 0;
  for (let y = Math.round(box.y); y < box.y + box.height; y++)
    for (let x = Math.round(box.x); x < box.x + box.width; x++) if (near(x, y)) total++;
  const probes = (query.probes ?? []).map(([px, py]) => {
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) if (near(Math.round(px) + dx, Math.round(py) + dy)) return true;
    return false;
  });
  let ring = 0;
  if (query.ring) {
    const [cx, cy] = query.ring;
    for (let dy = -24; dy <= 24; dy++)
      for (let dx = -24; dx <= 24; dx++) {
        const d = Math.hypot(dx, dy);
        if (d >= 6 && d <= 24 && near(Math.round(cx + dx), Math.round(cy + dy), 40)) ring++;
      }
  }
  return { total, probes, ring };
}

/** The share of probes that hit. */
export const hitShare = (probes: readonly boolean[]): number => probes.filter(Boolean).length / probes.length;

/**
 * Pixels of `shown` nearer `colour` than the same pixel of `hidden` by `margin` or more (the sum
 * of the channels' distances): what a layer drawn translucently in that colour tints, whatever
 * it is drawn over, and the box they lie in. The two screenshots are of the same view, with the
 * layer and without it.
 */
export function tintedTowards(
  shown: Buffer,
  hidden: Buffer,
  colour: Rgb,
  query: { box?: PixelQuery['box']; margin?: number } = {},
): { total: number; bounds: { x0: number; y0: number; x1: number; y1: number } } {
  const a = decodePng(shown);
  const b = decodePng(hidden);
  if (a.width !== b.width || a.height !== b.height) throw new Error('screenshots of different sizes');
  const margin = query.margin ?? 30;
  const distance = (data: Buffer, i: number) =>
    Math.abs((data[i] as number) - colour[0]) +
    Math.abs((data[i + 1] as number) - colour[1]) +
    Math.abs((data[i + 2] as number) - colour[2]);
  const tinted = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= a.width || y >= a.height) return false;
    const i = (y * a.width + x) * a.channels;
    const j = (y * b.width + x) * b.channels;
    return distance(b.data, j) - distance(a.data, i) >= margin;
  };
  const box = query.box ?? { x: 0, y: 0, width: a.width, height: a.height };
  let total = 0;
  const bounds = { x0: Number.POSITIVE_INFINITY, y0: Number.POSITIVE_INFINITY, x1: -1, y1: -1 };
  for (let y = Math.round(box.y); y < box.y + box.height; y++)
    for (let x = Math.round(box.x); x < box.x + box.width; x++)
      if (tinted(x, y)) {
        total++;
        bounds.x0 = Math.min(bounds.x0, x);
        bounds.y0 = Math.min(bounds.y0, y);
        bounds.x1 = Math.max(bounds.x1, x);
        bounds.y1 = Math.max(bounds.y1, y);
      }
  return { total, bounds };
}
