/** A peak in a daily curve: local hour of its centre, height above the floor, width in hours. */
export type Peak = readonly [hour: number, height: number, width: number];

/**
 * A daily load curve by local hour: a floor plus Gaussian peaks (breakfast, rush hours,
 * evening), scaled so that it averages 1 over the day and a daily total stays a daily total.
 */
export function dailyProfile(floor: number, peaks: readonly Peak[]): (hour: number) => number {
  const raw = (h: number) =>
    peaks.reduce((sum, [centre, height, width]) => sum + height * bump(h, centre, width), floor);
  let total = 0;
  const samples = 24 * 10;
  for (let i = 0; i < samples; i++) total += raw((i + 0.5) / 10);
  const mean = total / samples;
  return (hour) => raw(hour) / mean;
}

/** A Gaussian bump on the 24-hour circle, so a peak at 23:00 also lifts 00:30. */
function bump(hour: number, centre: number, width: number): number {
  const d = Math.abs(hour - centre);
  return Math.exp(-((Math.min(d, 24 - d) / width) ** 2));
}
