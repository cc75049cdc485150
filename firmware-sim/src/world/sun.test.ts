import { describe, expect, it } from 'vitest';
import { sunTimes } from './sun.ts';

const ZAPORIZHZHIA = { lat: 47.84, lon: 35.14 };
const MINUTE = 60_000;

/**
 * Reference times in UTC, rounded to the minute (local sunrise 07:24 / 04:41 / 05:40). The
 * test guards the plumbing - day boundaries, the sign of the longitude, the hour angle: a slip
 * there moves these by hours, not minutes.
 */
const KNOWN = [
  { day: '2025-12-21', rise: '2025-12-21T05:24Z', set: '2025-12-21T13:50Z' },
  { day: '2025-06-21', rise: '2025-06-21T01:41Z', set: '2025-06-21T17:42Z' },
  { day: '2025-03-20', rise: '2025-03-20T03:40Z', set: '2025-03-20T15:50Z' },
];

describe('sunTimes', () => {
  it.each(KNOWN)('matches the published sunrise and sunset on $day within 3 minutes', ({ day, rise, set }) => {
    const times = sunTimes(Date.parse(`${day}T12:00Z`), ZAPORIZHZHIA.lat, ZAPORIZHZHIA.lon);
    expect(Math.abs(times.rise - Date.parse(rise))).toBeLessThan(3 * MINUTE);
    expect(Math.abs(times.set - Date.parse(set))).toBeLessThan(3 * MINUTE);
  });

  it('gives the same day for any instant of that UTC day', () => {
    const a = sunTimes(Date.parse('2025-12-21T00:00Z'), ZAPORIZHZHIA.lat, ZAPORIZHZHIA.lon);
    const b = sunTimes(Date.parse('2025-12-21T23:59Z'), ZAPORIZHZHIA.lat, ZAPORIZHZHIA.lon);
    expect(a).toEqual(b);
  });

  it('puts civil dusk after sunset', () => {
    const ms = Date.parse('2025-06-21T12:00Z');
    expect(sunTimes(ms, ZAPORIZHZHIA.lat, ZAPORIZHZHIA.lon, -6).set).toBeGreaterThan(
      sunTimes(ms, ZAPORIZHZHIA.lat, ZAPORIZHZHIA.lon).set,
    );
  });
});
