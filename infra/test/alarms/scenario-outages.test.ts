import { atLocal, demoCity, type FleetDevice, localDayNumber, playScenario, type SimEvent } from '@city/firmware-sim';
import { findCodec, migrate, openPglite, type Reading } from '@city/ingest';
import {
  AlarmFamilies,
  applySignals,
  type CityObjectRecord,
  listAlarmRules,
  listOutages,
  migrateTwin,
  outageRollUp,
  RuleEngine,
  seedAlarmRules,
} from '@city/twin';
import type { Outage } from '@city/twin/contract';
import { describe, expect, it } from 'vitest';

/**
 * firmware-sim's incidents through the whole alarm path, offline: each uplink decoded and
 * normalised by ingest's codecs, judged by the shipped rules, stored as alarms with the shipped
 * families' roll-up. A burst and a failed cabinet each make one district outage; a normal day
 * makes none.
 */

const MONDAY = atLocal(localDayNumber(Date.parse('2026-01-12T12:00:00Z')), 10);
const CITY = demoCity(1, 3000);
/** Uplinks judged and stored together, as ingest commits them in batches. */
const BATCH = 500;

/** Ingest's readings of an uplink. */
function readings(e: SimEvent): Reading[] {
  if (e.type !== 'up') return [];
  const codec = findCodec(e.device.model);
  const decoded = codec?.decodeUplink({ fPort: e.uplink.fPort, bytes: e.uplink.data });
  if (!codec || !decoded || 'errors' in decoded) throw new Error(`${e.device.model} did not decode`);
  const timeMs = e.uplink.time.getTime();
  return codec.toMetrics(decoded.data, {}).map((m) => ({
    timeMs,
    devEui: e.device.devEui,
    objectNumber: e.device.objectNumber,
    metric: m.metric,
    value: m.value,
  }));
}

/** Plays `hours` of the city with `scenario` through rules, store and roll-up; returns the outages. */
async function outagesOf(scenario: string | undefined, start: number, hours: number) {
  const { fleet, events } = playScenario({ city: CITY, scenario, start, hours });
  const db = await openPglite();
  try {
    await migrate(db);
    await migrateTwin(db);
    await seedAlarmRules(db);
    const records = new Map<string, CityObjectRecord>(fleet.map((d) => [d.objectNumber, objectOf(d)]));
    const objects = { get: (number: string) => records.get(number) };
    const devices = new Map(fleet.map((d) => [d.devEui, d]));
    const engine = new RuleEngine({
      objects,
      deviceClass: (devEui) => devices.get(devEui)?.class,
      deviceModel: (devEui) => devices.get(devEui)?.model,
    });
    engine.setRules(await listAlarmRules(db));
    const afterChange = outageRollUp(AlarmFamilies.load());
    for (let i = 0; i < events.length; i += BATCH) {
      const signals = engine.evaluate(events.slice(i, i + BATCH).flatMap(readings));
      await applySignals(db, signals, objects, { afterChange });
    }
    // Read the way the API answers (GET /outages).
    const outages = await listOutages(db, { limit: 200, offset: 0 });
    const { rows } = await db.query<{ type: string; n: number }>(
      'SELECT alarm_type AS type, count(*)::int AS n FROM alarms GROUP BY alarm_type',
    );
    return { fleet, outages, alarms: Object.fromEntries(rows.map((r) => [r.type, r.n])) };
  } finally {
    await db.close();
  }
}

function objectOf(d: FleetDevice): CityObjectRecord {
  const mount = d.sim.device.mount;
  return {
    number: d.objectNumber,
    type: mount.type,
    lat: d.lat,
    lon: d.lon,
    district: d.district,
    address: null,
    ownerUtility: null,
    attributes: {},
  };
}

describe('firmware-sim incidents roll up into one district outage', () => {
  it('a water-main burst: one water outage in its district, listing the meters that raised burst and leak alarms', async () => {
    const { outages } = await outagesOf('burst', MONDAY, 2);
    expect(outages).toHaveLength(1);
    const [outage] = outages as [Outage];
    expect(outage).toMatchObject({ kind: 'water', severity: 'critical', status: 'active' });
    const numbers = new Set(outage.objects.map((o) => o.number));
    expect(numbers.size).toBeGreaterThanOrEqual(5);
    expect(new Set(outage.objects.map((o) => o.alarmType))).toEqual(new Set(['water_burst', 'water_leak']));
  });

  it('a failed lighting cabinet at dusk: one lighting outage listing its row of dark poles', async () => {
    const evening = atLocal(localDayNumber(MONDAY), 15);
    const { fleet, outages } = await outagesOf('cabinet', evening, 4);
    expect(outages).toHaveLength(1);
    const [outage] = outages as [Outage];
    expect(outage).toMatchObject({ kind: 'lighting', status: 'active' });
    const byNumber = new Map(fleet.map((d) => [d.objectNumber, d]));
    const cabinets = outage.objects.map((o) => byNumber.get(o.number)?.sim.device.mount.props.cabinet);
    expect(cabinets.length).toBeGreaterThanOrEqual(5);
    // The row of one cabinet, give or take a lamp that failed on its own in the district.
    const row = cabinets[0];
    expect(cabinets.filter((c) => c === row).length).toBeGreaterThanOrEqual(cabinets.length - 2);
  });

  it('a normal day and night of the city opens none', async () => {
    const { outages, alarms } = await outagesOf(undefined, MONDAY, 24);
    // Not for want of alarms: leaks (flags, and night flow every night) are raised across the city
    // (14 in this day of the seed's city, more than one district's worth).
    expect(alarms.water_leak).toBeGreaterThanOrEqual(10);
    expect(outages).toEqual([]);
  });
});
