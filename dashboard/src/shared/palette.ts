import type { AlarmSeverity } from '@city/twin/contract';

/**
 * The colours every view shares, chosen to be told apart without red-green vision (the Okabe-Ito
 * palette, Color Universal Design) and never alone: each severity also has its own shape or
 * symbol and text, each state a pattern or label, so no meaning rides on colour only.
 */
export type Rgb = readonly [number, number, number];

export const SEVERITY_COLORS: Record<AlarmSeverity, Rgb> = {
  critical: [213, 94, 0], // vermillion
  major: [230, 159, 0], // orange
  minor: [240, 228, 66], // yellow
  warning: [86, 180, 233], // sky blue
};

/** A symbol per severity for lists and legends (read along with the colour and the word). */
export const SEVERITY_SYMBOLS: Record<AlarmSeverity, string> = {
  critical: '⬣',
  major: '▲',
  minor: '◆',
  warning: '●',
};

/** Object states on the map. */
export const STATE_COLORS = {
  ok: [0, 158, 115], // bluish green
  stale: [153, 153, 153],
  offline: [90, 90, 90],
  noDevice: [120, 130, 150],
  lampOn: [240, 228, 66],
  lampOff: [0, 114, 178], // blue
  lampFailed: [213, 94, 0],
} as const satisfies Record<string, Rgb>;

/** EEA European Air Quality Index bands, good to extremely poor, in the EEA's own colours: cyan through yellow to purple, told apart without red-green vision (colour-access.test.ts). */
export const EAQI_COLORS: readonly Rgb[] = [
  [80, 240, 230],
  [80, 204, 170],
  [240, 230, 65],
  [255, 80, 80],
  [150, 0, 50],
  [125, 33, 129],
];

/** `rgb(...)` for CSS. */
export function css([r, g, b]: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}
