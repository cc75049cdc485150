import type { Alarm, AlarmSeverity } from '@city/twin/contract';
import { ScatterplotLayer } from '@deck.gl/layers';
import { SEVERITY_COLORS } from '../../../shared/palette.ts';

/**
 * Active alarms as pulsing rings around their objects: the worse the severity, the bigger and
 * faster the ring, so severity reads from size and rhythm as well as colour. Few alarms are
 * active at once (hundreds, not 100k): plain objects and accessors are fine here.
 */
export interface AlarmPoint {
  id: number;
  severity: AlarmSeverity;
  lon: number;
  lat: number;
  acknowledged: boolean;
}

export interface AlarmsLayerProps {
  alarms: readonly AlarmPoint[];
  /** ms, the animation clock. */
  time: number;
  visible?: boolean;
}

export const ALARMS_LAYER_DEFAULTS = { visible: true } as const;

/** Ring size (px) and pulse period (ms) by severity. */
export const PULSE: Record<AlarmSeverity, { radius: number; periodMs: number }> = {
  critical: { radius: 18, periodMs: 900 },
  major: { radius: 15, periodMs: 1300 },
  minor: { radius: 12, periodMs: 1800 },
  warning: { radius: 10, periodMs: 2400 },
};

/** Active alarms with a position, worst first (drawn last, on top). */
export function alarmPoints(alarms: readonly Alarm[]): AlarmPoint[] {
  const order: AlarmSeverity[] = ['warning', 'minor', 'major', 'critical'];
  return alarms
    .filter((a) => a.status === 'active' && a.lat !== null && a.lon !== null)
    .map((a) => ({
      id: a.id,
      severity: a.severity,
      lon: a.lon as number,
      lat: a.lat as number,
      acknowledged: a.acknowledged,
    }))
    .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
}

/** 0..1 of the pulse now, per severity. */
function phase(severity: AlarmSeverity, time: number): number {
  const { periodMs } = PULSE[severity];
  return (time % periodMs) / periodMs;
}

export function alarmsLayer(props: AlarmsLayerProps): ScatterplotLayer<AlarmPoint> {
  const p = { ...ALARMS_LAYER_DEFAULTS, ...props };
  return new ScatterplotLayer<AlarmPoint>({
    id: 'alarms',
    data: p.alarms as AlarmPoint[],
    visible: p.visible,
    pickable: true,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (a) => [a.lon, a.lat],
    // Acknowledged alarms keep a steady ring: someone is on it.
    getRadius: (a) => PULSE[a.severity].radius * (a.acknowledged ? 1 : 0.6 + 0.8 * phase(a.severity, p.time)),
    getFillColor: (a) => [...SEVERITY_COLORS[a.severity], a.acknowledged ? 40 : 90 * (1 - phase(a.severity, p.time))],
    getLineColor: (a) => [...SEVERITY_COLORS[a.severity], 255],
    getLineWidth: (a) => (a.severity === 'critical' ? 4 : a.severity === 'major' ? 3 : 2),
    updateTriggers: { getRadius: p.time, getFillColor: p.time },
  });
}
