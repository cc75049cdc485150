import type { Reading } from '@city/ingest';
import { describe, expect, it } from 'vitest';
import { DistrictAggregator } from './district-aggregates.ts';
import { EAQI_BANDS, eaqiBand } from './eaqi.ts';
import { fakeObjects } from './fake-object-lookup.ts';
import { LiveState } from './live-state.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const MIN = 60_000;

describe('the European Air Quality Index', () => {
  it('bands each pollutant by the EEA bounds, a value on a bound in the lower band', () => {
    expect([0, 5, 5.1, 15, 16, 50, 90, 140, 141, 900].map((v) => eaqiBand('pm25', v))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 5, 6, 6,
    ]);
    expect([15, 45, 120, 195, 270, 271].map((v) => eaqiBand('pm10', v))).toEqual([1, 2, 3, 4, 5, 6]);
    expect([10, 25, 60, 100, 150, 151].map((v) => eaqiBand('no2', v))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(eaqiBand('o3', 121)).toBe(4);
    expect(eaqiBand('so2', 300)).toBe(6);
    for (const bounds of Object.values(EAQI_BANDS)) expect([...bounds].sort((a, b) => a - b)).toEqual(bounds);
  });
});

describe('district aggregates', () => {
  const objects = fakeObjects([
    { number: 'ПС-01-00001', type: 'air_station', district: '01' },
    { number: 'ПС-01-00002', type: 'air_station', district: '01' },
    { number: 'ПС-02-00001', type: 'air_station', district: '02' },
    { number: 'СМ-01-00001', type: 'bin', district: '01' },
    { number: 'СМ-01-00002', type: 'bin', district: '01' },
    { number: 'ОП-02-00001', type: 'pole', district: '02' },
    { number: 'ОП-02-00002', type: 'pole', district: '02' },
    { number: 'ОП-99-00001', type: 'pole', district: null },
  ]);
  const at = (minutesAgo: number, devEui: string, objectNumber: string, values: Record<string, number>): Reading[] =>
    Object.entries(values).map(([metric, value]) => ({
      timeMs: NOW - minutesAgo * MIN,
      devEui,
      objectNumber,
      metric,
      value,
    }));

  it('gives a district the band of its worst pollutant, from the mean of its stations', () => {
    const state = new LiveState({ objects });
    state.apply([
      // District 01: PM2.5 means (12 + 20) / 2 = 16 -> moderate (3); NO2 mean 30 -> moderate (3); PM10 20 -> fair.
      ...at(5, 'a000000000000001', 'ПС-01-00001', { pm25: 12, pm10: 20, no2: 20, temperature: 4 }),
      ...at(7, 'a000000000000002', 'ПС-01-00002', { pm25: 20, no2: 40 }),
      // District 02: one station, NO2 110 -> very poor (5), PM2.5 4 -> good; a stale PM10 value does not count.
      ...at(3, 'a000000000000003', 'ПС-02-00001', { pm25: 4, no2: 110 }),
      ...at(4 * 60, 'a000000000000003', 'ПС-02-00001', { pm10: 300 }),
    ]);
    const { districts } = new DistrictAggregator(state, objects).aggregates(NOW);
    expect(districts.map((d) => [d.district, d.air.band, d.air.level, d.air.pollutant, d.air.stations])).toEqual([
      ['01', 3, 'moderate', 'pm25', 2],
      ['02', 5, 'very_poor', 'no2', 1],
    ]);
    expect(districts[0]?.air.pollutants).toEqual({
      pm25: { mean: 16, band: 3, stations: 2 },
      pm10: { mean: 20, band: 2, stations: 1 },
      no2: { mean: 30, band: 3, stations: 2 },
    });
  });

  it('counts bins over 85 %, failed lamps and the devices online by the district of their object', () => {
    const state = new LiveState({ objects });
    const bin = 'milesight-iot/em310-udl';
    const lamp = 'milesight-iot/ws558';
    state.setDevice({ devEui: 'b000000000000001', model: bin, objectNumber: 'СМ-01-00001', lastSeenMs: null });
    state.setDevice({
      devEui: 'b000000000000002',
      model: bin,
      objectNumber: 'СМ-01-00002',
      lastSeenMs: NOW - 4 * 60 * MIN,
    });
    state.setDevice({ devEui: 'c000000000000001', model: lamp, objectNumber: 'ОП-02-00001', lastSeenMs: null });
    state.setDevice({ devEui: 'c000000000000002', model: lamp, objectNumber: 'ОП-02-00002', lastSeenMs: null });
    state.setDevice({ devEui: 'c000000000000003', model: lamp, objectNumber: 'ОП-99-00001', lastSeenMs: null });
    state.apply([
      ...at(10, 'b000000000000001', 'СМ-01-00001', { fill_level: 91 }),
      ...at(4 * 60, 'b000000000000002', 'СМ-01-00002', { fill_level: 85 }),
      ...at(5, 'c000000000000001', 'ОП-02-00001', { lamp_failure: 1, lamp_on: 1 }),
      // 15-minute lamps: an hour without a report is stale.
      ...at(60, 'c000000000000002', 'ОП-02-00002', { lamp_failure: 0 }),
      ...at(1, 'c000000000000003', 'ОП-99-00001', { lamp_failure: 1 }),
    ]);
    const { districts } = new DistrictAggregator(state, objects).aggregates(NOW);
    expect(
      districts.map((d) => ({ district: d.district, devices: d.devices, bins: d.bins, lights: d.lights })),
    ).toEqual([
      {
        district: '01',
        devices: { total: 2, online: 1, stale: 0, offline: 1, onlinePct: 50 },
        bins: { total: 2, over85: 1 },
        lights: { total: 0, failed: 0 },
      },
      {
        district: '02',
        devices: { total: 2, online: 2, stale: 1, offline: 0, onlinePct: 100 },
        bins: { total: 0, over85: 0 },
        lights: { total: 2, failed: 1 },
      },
      {
        district: null,
        devices: { total: 1, online: 1, stale: 0, offline: 0, onlinePct: 100 },
        bins: { total: 0, over85: 0 },
        lights: { total: 1, failed: 1 },
      },
    ]);
    expect(districts[0]?.air).toEqual({ band: null, level: null, pollutant: null, stations: 0, pollutants: {} });
  });

  it('answers from its last computation within a second, and moves on after', () => {
    const state = new LiveState({ objects });
    const aggregator = new DistrictAggregator(state, objects);
    const first = aggregator.aggregates(NOW);
    state.apply(at(0, 'b000000000000001', 'СМ-01-00001', { fill_level: 99 }));
    expect(aggregator.aggregates(NOW + 500)).toBe(first);
    expect(aggregator.aggregates(NOW + 1000).districts[0]?.bins).toEqual({ total: 1, over85: 1 });
  });
});
