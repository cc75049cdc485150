import { metricsFrom } from '../normalise.ts';
import { milesightCodec } from './channels.ts';
import { litByCurrent } from './power.ts';

type YesNo = 'yes' | 'no';

interface CurrentAlarm {
  current_threshold_alarm: YesNo;
  current_threshold_alarm_release: YesNo;
  current_over_range_alarm: YesNo;
  current_over_range_alarm_release: YesNo;
}

interface Ct101Data {
  current_max?: number;
  current_min?: number;
  /** A */
  current?: number;
  current_alarm?: CurrentAlarm;
  /** Ah */
  total_current?: number;
  current_sensor_status?: 'read failed';
}

/** Alarm byte bits, in bit order. */
const ALARM_BITS = [
  'current_threshold_alarm',
  'current_threshold_alarm_release',
  'current_over_range_alarm',
  'current_over_range_alarm_release',
] as const;

export const ct101 = milesightCodec<Ct101Data>({
  model: 'milesight-iot/ct101',
  name: 'CT101 smart current transformer',
  class: 'streetlight',
  metrics: ['current', 'lamp_on', 'lamp_failure'],
  channels: {
    '8498': (r, out) => {
      out.current_max = r.u16le() / 100;
      out.current_min = r.u16le() / 100;
      out.current = r.u16le() / 100;
      const alarm = r.u8();
      out.current_alarm = Object.fromEntries(ALARM_BITS.map((name, bit) => [name, (alarm >> bit) & 1 ? 'yes' : 'no']));
    },
    // The periodic records, from Milesight's public CT101 decoder; 0xFFFF means the sensor failed.
    '0498': (r, out) => {
      const raw = r.u16le();
      if (raw === 0xffff) out.current_sensor_status = 'read failed';
      else out.current = raw / 100;
    },
    '0397': (r, out) => {
      out.total_current = r.u32le() / 100;
    },
  },
  toMetrics: (data) => {
    const alarm = data.current_alarm;
    return metricsFrom([
      ['current', data.current],
      ['lamp_on', litByCurrent(data.current)],
      // The threshold is set to the circuit's expected load, so crossing it (or the sensor's
      // range) is how a CT101 reports a failed lamp circuit.
      [
        'lamp_failure',
        alarm === undefined
          ? undefined
          : alarm.current_threshold_alarm === 'yes' || alarm.current_over_range_alarm === 'yes',
      ],
    ]);
  },
});
