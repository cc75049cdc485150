/**
 * The city's wall clock. Ukraine keeps EET (UTC+2) with the EU summer-time rule (UTC+3 from the
 * last Sunday of March to the last Sunday of October, switching at 01:00 UTC). Computed here
 * rather than through Intl so behaviours stay fast and do not depend on the host's tz data.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 01:00 UTC on the last Sunday of `month` (0-based). */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

function utcOffsetHours(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  return ms >= lastSundayAt1Utc(year, 2) && ms < lastSundayAt1Utc(year, 9) ? 3 : 2;
}

/** Local time as if it were UTC: read it with getUTC* methods. */
function local(ms: number): Date {
  return new Date(ms + utcOffsetHours(ms) * HOUR);
}

/** Local hour of day, fractional: 7.5 is 07:30. */
export function localHour(ms: number): number {
  const shifted = ms + utcOffsetHours(ms) * HOUR;
  return (((shifted % DAY) + DAY) % DAY) / HOUR;
}

/** Local day of week, 0 Sunday ... 6 Saturday. */
function localWeekday(ms: number): number {
  return local(ms).getUTCDay();
}

/** Local days since 1970-01-01: one number per calendar day, for per-day events. */
export function localDayNumber(ms: number): number {
  return Math.floor((ms + utcOffsetHours(ms) * HOUR) / DAY);
}

/** The instant of local time `hour` (fractional) on the local day `dayNumber`. */
export function atLocal(dayNumber: number, hour: number): number {
  const guess = dayNumber * DAY + hour * HOUR;
  return guess - utcOffsetHours(guess - 2 * HOUR) * HOUR;
}

export function isWeekend(ms: number): boolean {
  const day = localWeekday(ms);
  return day === 0 || day === 6;
}

export { DAY, HOUR };
