/**
 * Pure, seeded noise: the same (seed, key, time) always gives the same number, whatever order
 * devices are simulated in or how often they report. Behaviours lean on it so that a reading
 * depends on the simulated time, not on how many uplinks came before it.
 */

/** A number in [0, 1) from integer parts (murmur3's finaliser over a running mix). */
export function hash01(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Split into two 32-bit halves so large integers (ms timestamps) keep all their bits.
    h = mix(h ^ (part >>> 0));
    h = mix(h ^ Math.floor(part / 4294967296));
  }
  return (mix(h) >>> 0) / 4294967296;
}

function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Smooth value noise in [-1, 1]: a random knot every `period`, cosine-eased between knots, so
 * a quantity drifts (weather, a district's air) instead of jumping from reading to reading.
 */
export function drift(seed: number, key: number, channel: number, t: number, period: number): number {
  const x = t / period;
  const k = Math.floor(x);
  const a = hash01(seed, key, channel, k) * 2 - 1;
  const b = hash01(seed, key, channel, k + 1) * 2 - 1;
  const ease = (1 - Math.cos((x - k) * Math.PI)) / 2;
  return a + (b - a) * ease;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Whether an occasional event covers `ms`: on each day it starts with probability `perDay`, at
 * a random moment, and lasts up to `maxHours`. Pure, so a bin knocked over at 14:10 is still
 * over at 14:30 however often it reports.
 */
export function occasional(seed: number, key: number, channel: number, ms: number, perDay: number, maxHours: number) {
  const today = Math.floor(ms / DAY_MS);
  for (let day = today - Math.ceil(maxHours / 24); day <= today; day++) {
    if (hash01(seed, key, channel, day) >= perDay) continue;
    const start = (day + hash01(seed, key, channel, day, 1)) * DAY_MS;
    const end = start + (0.2 + 0.8 * hash01(seed, key, channel, day, 2)) * maxHours * HOUR_MS;
    if (ms >= start && ms < end) return true;
  }
  return false;
}
