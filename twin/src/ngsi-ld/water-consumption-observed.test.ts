import { describe, expect, it } from 'vitest';
import { cityObject, liveState } from './model-fixture.ts';
import { waterConsumptionObserved } from './water-consumption-observed.ts';

const T1 = '2025-06-01T00:00:00.000Z';
const T2 = '2025-06-01T06:00:00.000Z';

describe('a water meter point as WaterConsumptionObserved', () => {
  const meter = cityObject({
    number: 'ЛЧ-03-00012',
    type: 'meter_point',
    attributes: { medium: 'water', meterSerial: 'Q-123', diameterMm: 20 },
  });

  it("gives the meter's index in m³ and its alarms as the model's 0/1 flags", () => {
    const live = liveState(meter.number, {
      volume: [1234.567, T2],
      flow: [0.42, T2],
      leak: [1, T1],
      tamper: [0, T2],
      backflow: [0, T2],
      burst: [0, T2],
    });
    expect(waterConsumptionObserved.attributes(meter, live)).toEqual({
      name: { type: 'Property', value: 'ЛЧ-03-00012' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [35.1396, 47.8388] } },
      address: { type: 'Property', value: { district: '03' } },
      waterConsumption: { type: 'Property', value: 1234.567, observedAt: T2, unitCode: 'MTQ' },
      alarmStopsLeaks: { type: 'Property', value: 1, observedAt: T1 },
      alarmTamper: { type: 'Property', value: 0, observedAt: T2 },
      alarmWaterQuality: { type: 'Property', value: 0, observedAt: T2 },
      alarmInProgress: { type: 'Property', value: 1, observedAt: T2 },
    });
  });

  it('counts a burst among the alarms in progress, and says none when all are clear', () => {
    const alarms = (values: Record<string, [number, string]>) =>
      waterConsumptionObserved.attributes(meter, liveState(meter.number, values)).alarmInProgress;
    expect(alarms({ burst: [1, T1], leak: [0, T1] })).toMatchObject({ value: 1 });
    expect(alarms({ leak: [0, T1], tamper: [0, T1] })).toMatchObject({ value: 0 });
    expect(alarms({ volume: [10, T1] })).toBeUndefined();
  });

  it('takes water meter points (and those that do not say), not heat or gas ones', () => {
    const accepts = waterConsumptionObserved.accepts;
    expect(accepts?.(meter)).toBe(true);
    expect(accepts?.({ ...meter, attributes: {} })).toBe(true);
    expect(accepts?.({ ...meter, attributes: { medium: 'heat' } })).toBe(false);
    expect(accepts?.({ ...meter, attributes: { medium: 'gas' } })).toBe(false);
  });
});
