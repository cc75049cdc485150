import type { AlarmSeverity } from '../contract/alarms.ts';

/**
 * What the rule engine (`rules/`) tells the alarm store: a reading (or a silence) met a rule,
 * or no longer does. The store makes it an alarm, a count, or a clear, in the database, where
 * the same signal from a replayed uplink or from another server process is harmless.
 */
export interface AlarmSignal {
  action: 'raise' | 'clear';
  rule: { id: string; alarmType: string; severity: AlarmSeverity };
  /** The object's number as registered, or `device:{devEui}` for a device bound to no object. */
  subject: string;
  objectNumber: string | null;
  devEui: string;
  /** The device time of the reading that met (or stopped meeting) the rule; for a silence, the device's last-seen. */
  readingMs: number;
  /** The value that met the rule; null for a silence. */
  value: number | null;
  /** For people: what happened, with the value and its unit (`fill level 91 % ≥ 85 %`). */
  message: string;
}

/** The subject of a device bound to no object. */
export function deviceSubject(devEui: string): string {
  return `device:${devEui}`;
}
