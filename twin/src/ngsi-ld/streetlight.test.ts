import { describe, expect, it } from 'vitest';
import { cityObject, liveState } from './model-fixture.ts';
import { streetlight } from './streetlight.ts';

const T1 = '2025-06-01T19:00:00.000Z';
const T2 = '2025-06-01T19:10:00.000Z';

describe('a pole with a lamp controller as a Streetlight', () => {
  const pole = cityObject({
    number: 'ОП-03-00417',
    type: 'pole',
    attributes: { lampPowerW: 90, heightM: 9, cabinet: 'ШК-03-00012', lampType: 'LED' },
  });

  it('gives status, powerState, illuminanceLevel 0..1 and what the controller measures, named as the model does', () => {
    const live = liveState(pole.number, {
      lamp_on: [1, T2],
      dim_level: [70, T2],
      lamp_failure: [0, T1],
      power: [85, T2],
      voltage: [229.5, T2],
      current: [0.41, T2],
      energy: [1234, T2],
    });
    expect(streetlight.attributes(pole, live)).toEqual({
      name: { type: 'Property', value: 'ОП-03-00417' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [35.1396, 47.8388] } },
      address: { type: 'Property', value: { district: '03' } },
      status: { type: 'Property', value: 'ok', observedAt: T1 },
      powerState: { type: 'Property', value: 'on', observedAt: T2 },
      illuminanceLevel: { type: 'Property', value: 0.7, observedAt: T2 },
      powerConsumption: { type: 'Property', value: 85, observedAt: T2, unitCode: 'WTT' },
      voltage: { type: 'Property', value: 229.5, observedAt: T2, unitCode: 'VLT' },
      current: { type: 'Property', value: 0.41, observedAt: T2, unitCode: 'AMP' },
      powerRating: { type: 'Property', value: 90, unitCode: 'WTT' },
      lanternHeight: { type: 'Property', value: 9, unitCode: 'MTR' },
      circuit: { type: 'Property', value: 'ШК-03-00012' },
      streetPoleNum: { type: 'Property', value: 'ОП-03-00417' },
    });
  });

  it('is a defective lamp on a fault, a column issue when tilted, and has no status without either reading', () => {
    const attrs = (values: Record<string, [number, string]>) =>
      streetlight.attributes(pole, liveState(pole.number, values));
    expect(attrs({ lamp_on: [0, T1], lamp_failure: [1, T2] })).toMatchObject({
      status: { value: 'defectiveLamp', observedAt: T2 },
      powerState: { value: 'off', observedAt: T1 },
    });
    expect(attrs({ lamp_failure: [0, T1], tilt: [1, T2] }).status).toEqual({
      type: 'Property',
      value: 'columnIssue',
      observedAt: T2,
    });
    expect(attrs({ lamp_on: [1, T1] })).not.toHaveProperty('status');
  });

  it('takes a pole only once a lamp controller reports', () => {
    expect(streetlight.requiresMetrics).toEqual(expect.arrayContaining(['lamp_on', 'lamp_failure']));
  });
});
