import {
  atLocal,
  demoCity,
  localDayNumber,
  type PlayedScenario,
  playScenario,
  type SimEvent,
} from '@city/firmware-sim';
import { findCodec } from '@city/ingest';
import { describe, expect, it } from 'vitest';

/**
 * The scripted incidents as the city sees them: each uplink goes through ingest's decoder and
 * normalisation, and the assertions are on the city metrics that come out.
 */

const HOUR = 3_600_000;
/** A winter Monday, 10:00 local. */
const MONDAY = atLocal(localDayNumber(Date.parse('2026-01-12T12:00:00Z')), 10);
const CITY = demoCity(1, 3000);

/** Plays `hours` of a fleet on the test city from `start`, with `scenario` starting at once. */
const play = (scenario: string | undefined, hours: number, opts: { start?: number; count?: number } = {}) =>
  playScenario({ city: CITY, scenario, start: opts.start ?? MONDAY, hours, count: opts.count });

/** Ingest's reading of an uplink: its city metrics by name. */
function metrics(e: SimEvent): Map<string, number> {
  if (e.type !== 'up') return new Map();
  const codec = findCodec(e.device.model);
  const decoded = codec?.decodeUplink({ fPort: e.uplink.fPort, bytes: e.uplink.data });
  if (!codec || !decoded || 'errors' in decoded) throw new Error(`${e.device.model} did not decode`);
  return new Map(codec.toMetrics(decoded.data, {}).map((m) => [m.metric, m.value]));
}

describe('burst', () => {
  it('raises burst and leak alarms in one district only and floods its meter pits', () => {
    const { events } = play('burst', 2);
    const alarms = events.filter((e) => {
      const m = metrics(e);
      return m.get('burst') === 1 || m.get('leak') === 1;
    });
    const bursts = events.filter((e) => metrics(e).get('burst') === 1);
    expect(bursts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(bursts.map((e) => e.device.district)).size).toBe(1);
    const district = bursts[0]?.device.district;
    expect(alarms.filter((e) => e.device.district === district).length).toBeGreaterThanOrEqual(3);
    // The meter pits on the burst main flood: their probes report water.
    const flows = events.filter((e) => e.device.district === district && e.device.model === 'elsys/ems');
    expect(flows.some((e) => (metrics(e).get('leak') ?? 0) === 1)).toBe(true);
  });
});

describe('smog', () => {
  it('takes PM2.5 past 100 µg/m³ within hours where it settles, from a normal day', () => {
    const pm25 = (run: PlayedScenario, fromH: number) =>
      run.events
        .filter((e) => e.device.class === 'air' && e.type === 'up' && e.uplink.time.getTime() >= MONDAY + fromH * HOUR)
        .flatMap((e) => metrics(e).get('pm25') ?? []);
    const before = pm25(play(undefined, 5, { count: 1500 }), 4);
    const during = pm25(play('smog', 5, { count: 1500 }), 4);
    expect(Math.max(...before)).toBeLessThan(100);
    expect(during.filter((v) => v > 100).length).toBeGreaterThan(3);
  });
});

describe('cabinet', () => {
  it('darkens a whole row: its poles switched on and drawing nothing, all fed by one cabinet', () => {
    const night = atLocal(localDayNumber(MONDAY), 22);
    const { events } = play('cabinet', 1, { start: night });
    const dark = events.filter((e) => {
      const m = metrics(e);
      return e.device.model === 'milesight-iot/ws52x' && m.get('lamp_on') === 1 && m.get('power') === 0;
    });
    const cabinets = dark.map((e) => e.device.sim.device.mount.props.cabinet);
    const row = cabinets[0];
    expect(new Set(dark.map((e) => e.device)).size).toBeGreaterThanOrEqual(5);
    // A lamp or two may have failed on its own elsewhere; the row is the rest.
    expect(cabinets.filter((c) => c === row).length).toBeGreaterThanOrEqual(cabinets.length - 2);
  });
});
