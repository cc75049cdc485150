import { describe, expect, it } from 'vitest';
import { airQualityObserved } from './air-quality-observed.ts';
import { cityObject, liveState } from './model-fixture.ts';

const T1 = '2025-06-01T10:00:00.000Z';
const T2 = '2025-06-01T10:10:00.000Z';

describe('an air station as AirQualityObserved', () => {
  const station = cityObject({ number: 'ПС-03-00002', type: 'air_station', address: 'пр. Соборний, 150' });

  it('names pollutants as the model does, relativeHumidity as 0..1, and rates the air by the EAQI', () => {
    const live = liveState(station.number, {
      pm25: [12.4, T1],
      pm10: [30, T1],
      no2: [70, T2],
      co2: [612, T1],
      tvoc: [150, T1],
      temperature: [18.2, T1],
      humidity: [54, T1],
      pressure: [1012, T2],
      noise: [61, T2],
    });
    expect(airQualityObserved.attributes(station, live)).toEqual({
      name: { type: 'Property', value: 'ПС-03-00002' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [35.1396, 47.8388] } },
      address: { type: 'Property', value: { streetAddress: 'пр. Соборний, 150', district: '03' } },
      dateObserved: { type: 'Property', value: T2 },
      pm25: { type: 'Property', value: 12.4, observedAt: T1, unitCode: 'GQ' },
      pm10: { type: 'Property', value: 30, observedAt: T1, unitCode: 'GQ' },
      no2: { type: 'Property', value: 70, observedAt: T2, unitCode: 'GQ' },
      co2: { type: 'Property', value: 612, observedAt: T1, unitCode: '59' },
      volatileOrganicCompoundsTotal: { type: 'Property', value: 150, observedAt: T1, unitCode: '61' },
      temperature: { type: 'Property', value: 18.2, observedAt: T1, unitCode: 'CEL' },
      relativeHumidity: { type: 'Property', value: 0.54, observedAt: T1 },
      // NO2 at 70 µg/m³ is band 4 (60-100), the worst of the three.
      airQualityIndex: { type: 'Property', value: 4, observedAt: T2 },
      airQualityLevel: { type: 'Property', value: 'poor', observedAt: T2 },
    });
  });

  it('has no observation, date or index before a reading', () => {
    expect(Object.keys(airQualityObserved.attributes(station, undefined)).sort()).toEqual([
      'address',
      'location',
      'name',
    ]);
    const co2Only = airQualityObserved.attributes(station, liveState(station.number, { co2: [500, T1] }));
    expect(co2Only).toMatchObject({ dateObserved: { value: T1 } });
    expect(co2Only).not.toHaveProperty('airQualityIndex');
  });
});
