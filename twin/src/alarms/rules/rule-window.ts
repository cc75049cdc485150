import { getPosition } from 'suncalc';
import type { DurationWindow } from '../../contract/alarm-rules.ts';
import { DEFAULT_TIME_ZONE } from './check-rule-params.ts';

/** Where an object stands, for windows that depend on it (daylight). */
export interface Position {
  lat: number;
  lon: number;
}

/** Whether a moment is inside a duration rule's window, at a position. */
export type WindowTest = (timeMs: number, at: Position | undefined) => boolean;

const always: WindowTest = () => true;

/** The test for a window; no window is always open. */
export function windowTest(window: DurationWindow | undefined): WindowTest {
  if (window === undefined) return always;
  switch (window.kind) {
    case 'daylight':
      return isDaylight;
    case 'hours':
      return hoursTest(window.from, window.to, window.timeZone ?? DEFAULT_TIME_ZONE);
  }
}

/** The sun above the horizon at the position; never without one (a device bound to no object). */
function isDaylight(timeMs: number, at: Position | undefined): boolean {
  return at !== undefined && getPosition(new Date(timeMs), at.lat, at.lon).altitude > 0;
}

/**
 * Local clock time in `timeZone` from `from` (inclusive) to `to` (exclusive), across midnight
 * when `from` is later. Clock time, not elapsed time: on a night the clocks change the window
 * is an hour shorter or longer, as the people who set it would expect.
 */
function hoursTest(from: string, to: string, timeZone: string): WindowTest {
  const start = minuteOfDay(from);
  const end = minuteOfDay(to);
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (timeMs) => {
    let minute = 0;
    for (const part of clock.formatToParts(timeMs)) {
      if (part.type === 'hour') minute += 60 * Number(part.value);
      else if (part.type === 'minute') minute += Number(part.value);
    }
    return start < end ? minute >= start && minute < end : minute >= start || minute < end;
  };
}

function minuteOfDay(hhmm: string): number {
  return 60 * Number(hhmm.slice(0, 2)) + Number(hhmm.slice(3, 5));
}
