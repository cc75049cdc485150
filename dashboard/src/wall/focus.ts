import type { Alarm, AlarmDetail, ObjectStaffView, SeriesPoint } from '@city/twin/contract';
import { api, withQuery } from '../shared/api.ts';

/**
 * One situation looked at alone: what the wall fetches when an alarm, a report or an object on
 * the map is picked - the object's state, its alarm's history, and a day of the readings that
 * matter for it.
 */
export interface FocusTarget {
  /** Changes whenever something else is picked (the map flies again even to the same place). */
  key: string;
  objectNumber: string | null;
  alarmId: number | null;
  incidentId: number | null;
  /** The alarm type or report category, to choose the metric to chart. */
  category: string | null;
  devEui: string | null;
  subject: string;
  lat: number | null;
  lon: number | null;
}

export interface FocusData {
  object: ObjectStaffView | null;
  alarm: AlarmDetail | null;
  /** `from`/`to`: the window asked for (s), the chart's x range whatever the points cover. */
  chart: { metric: string; devEui: string; times: number[]; values: number[]; from: number; to: number } | null;
}

/** The metric an alarm type is about (the shipped rules' metrics); others chart the object's first metric. */
const METRIC_OF_TYPE: Record<string, string> = {
  bin_full: 'fill_level',
  bin_fire: 'temperature',
  bin_tilted: 'tilt',
  air_quality: 'pm25',
  battery_low: 'battery',
  lamp_failure: 'power',
  lamp_day_burning: 'lamp_on',
  water_burst: 'flow',
  water_leak: 'flow',
  water_backflow: 'flow',
  index_backwards: 'volume',
  bin_overflow: 'fill_level',
  light_out: 'power',
  leak: 'flow',
};
/** Radio and battery figures are every device's; they say little about the situation. */
const BACKGROUND_METRICS = new Set(['rssi', 'snr', 'battery', 'battery_voltage']);
const DEV_EUI = /^[0-9a-fA-F]{16}$/;
const DAY_MS = 86_400_000;

export async function loadFocus(target: FocusTarget, token: string | null, signal: AbortSignal): Promise<FocusData> {
  const [object, alarm] = await Promise.all([
    target.objectNumber
      ? api<ObjectStaffView>(`/api/v1/objects/${encodeURIComponent(target.objectNumber)}`, { token, signal })
      : Promise.resolve(null),
    target.alarmId !== null
      ? api<AlarmDetail>(`/api/v1/alarms/${target.alarmId}`, { token, signal })
      : Promise.resolve(null),
  ]);
  const pick = chartPick(target, object, alarm?.alarm ?? null);
  let chart: FocusData['chart'] = null;
  if (pick) {
    const to = Date.now();
    const points = await api<SeriesPoint[]>(
      withQuery(`/api/v1/devices/${encodeURIComponent(pick.devEui)}/readings`, {
        metric: pick.metric,
        from: new Date(to - DAY_MS).toISOString(),
        to: new Date(to).toISOString(),
        bucket: '15m',
      }),
      { token, signal },
    ).catch((err: Error) => {
      if (err.name === 'AbortError') throw err;
      // No readings (a device the kiosk may not read, one just unbound): the panel says so.
      return [] as SeriesPoint[];
    });
    chart = { ...pick, ...series(Array.isArray(points) ? points : []), from: (to - DAY_MS) / 1000, to: to / 1000 };
  }
  return { object, alarm, chart };
}

/** Which device and metric to chart: the alarm's metric as the object's live state has it, else its first. */
export function chartPick(
  target: Pick<FocusTarget, 'category' | 'devEui'>,
  object: Pick<ObjectStaffView, 'live'> | null,
  alarm: Pick<Alarm, 'type' | 'devEui'> | null,
): { metric: string; devEui: string } | null {
  const metrics = object?.live?.metrics ?? {};
  const wanted = METRIC_OF_TYPE[alarm?.type ?? target.category ?? ''];
  const live = wanted ? metrics[wanted] : undefined;
  const devEui = alarm?.devEui ?? target.devEui;
  if (wanted && live && DEV_EUI.test(live.devEui)) return { metric: wanted, devEui: live.devEui };
  if (wanted && devEui && DEV_EUI.test(devEui)) return { metric: wanted, devEui };
  for (const [metric, value] of Object.entries(metrics)) {
    if (!BACKGROUND_METRICS.has(metric) && DEV_EUI.test(value?.devEui ?? '')) return { metric, devEui: value.devEui };
  }
  return null;
}

/** The points as uPlot's columns (seconds, values), oldest first, non-numbers dropped. */
export function series(points: readonly SeriesPoint[]): { times: number[]; values: number[] } {
  const rows = points
    .map((p) => [Date.parse(p.time) / 1000, p.value] as const)
    .filter(([t, v]) => Number.isFinite(t) && typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
  return { times: rows.map((r) => r[0]), values: rows.map((r) => r[1]) };
}
