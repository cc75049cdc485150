import type { Alarm } from '@city/twin/contract';
import { describe, expect, it } from 'vitest';
import { stationText } from './layers/air-layer/air-layer.ts';
import { alarmPoints } from './layers/alarms-layer/alarms-layer.ts';
import { midpoint, readBaseMap } from './map-base.ts';

const square = (x: number, y: number) => [
  [
    [x, y],
    [x + 1, y],
    [x + 1, y + 1],
    [x, y + 1],
    [x, y],
  ],
];

describe('the base map as the page reads it', () => {
  it('keeps the districts and streets that are what they claim, and bounds the city by them', () => {
    const base = readBaseMap({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: square(35, 47) },
          properties: { kind: 'district', code: '01', name: 'Перший', nameEn: 'First' },
        },
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [35.1, 47.1],
              [35.5, 47.5],
            ],
          },
          properties: { kind: 'street', name: 'вул. Соборна' },
        },
        // Not what they claim: skipped, the rest kept.
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [35.1, 47.1],
              ['x', 47.5],
            ],
          },
          properties: { kind: 'street', name: 'bad' },
        },
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [35.1, 47.1],
              [35.2, 95],
            ],
          },
          properties: { kind: 'street', name: 'off the globe' },
        },
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: square(36, 47) },
          properties: { kind: 'district', name: 'no code' },
        },
        {
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: Array.from({ length: 6000 }, (_, i) => [35, 47 + i / 1e5]) },
          properties: { kind: 'street', name: 'too long' },
        },
        null,
        'a string',
      ],
    });
    expect(base.districts.map((d) => [d.code, d.name, d.nameEn, d.labelAt])).toEqual([
      ['01', 'Перший', 'First', [35.5, 47.5]],
    ]);
    expect(base.streets.map((s) => s.name)).toEqual(['вул. Соборна']);
    expect(base.bounds).toEqual([35, 47, 36, 48]);
    expect(base.geojson.features).toHaveLength(2);
    expect(
      midpoint([
        [0, 0],
        [2, 2],
      ]),
    ).toEqual([1, 1]);
  });

  it('draws nothing, and does not fail, from an answer that is not a base map', () => {
    for (const junk of [null, 42, { features: 'no' }, { features: [{ geometry: {} }] }])
      expect(readBaseMap(junk)).toMatchObject({ districts: [], streets: [], bounds: null });
  });
});

describe('alarm points and station labels', () => {
  const alarm = (id: number, severity: Alarm['severity'], more: Partial<Alarm> = {}) =>
    ({ id, severity, status: 'active', acknowledged: false, lat: 47.8, lon: 35.1, ...more }) as Alarm;

  it('puts the active, placed alarms on the map, the worst drawn last (on top)', () => {
    const points = alarmPoints([
      alarm(1, 'critical'),
      alarm(2, 'warning'),
      alarm(3, 'major', { status: 'cleared' }),
      alarm(4, 'minor', { lat: null, lon: null }),
      alarm(5, 'major', { acknowledged: true }),
    ]);
    expect(points.map((p) => [p.id, p.severity, p.acknowledged])).toEqual([
      [2, 'warning', false],
      [5, 'major', true],
      [1, 'critical', false],
    ]);
  });

  it("labels a station with its pollutants' values, words and numbers (not colour)", () => {
    expect(stationText({ pm25: 12.4, no2: 31.6, co2: 400 })).toBe('PM2.5 12\nNO₂ 32');
  });
});
