import { describe, expect, it } from 'vitest';
import { cityObject, liveState } from './model-fixture.ts';
import { wasteContainer } from './waste-container.ts';

const T1 = '2025-06-01T10:00:00.000Z';
const T2 = '2025-06-01T10:05:00.000Z';

describe('a bin as a WasteContainer', () => {
  const bin = cityObject({
    number: 'СМ-03-00417',
    type: 'bin',
    address: 'вул. Соборна, 12',
    ownerUtility: 'vidkhody',
    attributes: { volumeL: 1100, fraction: 'plastic', depthMm: 1200 },
  });

  it('names its attributes as the model does, the fill level as 0..1, each measured one with its time', () => {
    const live = liveState(bin.number, {
      fill_level: [92, T1],
      temperature: [21.5, T2],
      tilt: [0, T1],
      battery: [88, T1],
    });
    expect(wasteContainer.attributes(bin, live)).toEqual({
      name: { type: 'Property', value: 'СМ-03-00417' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [35.1396, 47.8388] } },
      address: { type: 'Property', value: { streetAddress: 'вул. Соборна, 12', district: '03' } },
      fillingLevel: { type: 'Property', value: 0.92, observedAt: T1 },
      temperature: { type: 'Property', value: 21.5, observedAt: T2, unitCode: 'CEL' },
      status: { type: 'Property', value: 'ok', observedAt: T2 },
      binCapacity: { type: 'Property', value: 1100, unitCode: 'LTR' },
      storedWasteKind: { type: 'Property', value: 'plastic' },
      responsible: { type: 'Property', value: 'vidkhody' },
    });
  });

  it('tells status from the sensors: burning over 60 °C, dropped when tilted, unknown without a tilt reading', () => {
    const status = (values: Record<string, [number, string]>) =>
      wasteContainer.attributes(bin, liveState(bin.number, values)).status;
    expect(status({ temperature: [72, T2], tilt: [1, T1] })).toEqual({
      type: 'Property',
      value: 'burning',
      observedAt: T2,
    });
    expect(status({ temperature: [30, T2], tilt: [1, T1] })).toEqual({
      type: 'Property',
      value: 'dropped',
      observedAt: T1,
    });
    expect(status({ fill_level: [10, T1] })).toEqual({ type: 'Property', value: 'unknown' });
    expect(wasteContainer.attributes(bin, undefined).status).toEqual({ type: 'Property', value: 'unknown' });
  });

  it('keeps fillingLevel within 0..1 and leaves out what it does not know', () => {
    const over = wasteContainer.attributes(bin, liveState(bin.number, { fill_level: [101, T1] }));
    expect(over.fillingLevel).toMatchObject({ value: 1 });
    const bare = cityObject({ number: 'СМ-03-00001', type: 'bin', district: null, attributes: { fraction: 'mixed' } });
    const attrs = wasteContainer.attributes(bare, undefined);
    expect(Object.keys(attrs).sort()).toEqual(['location', 'name', 'status', 'storedWasteKind']);
    // The model's list of kinds has no "mixed": the rest is `other`.
    expect(attrs.storedWasteKind).toEqual({ type: 'Property', value: 'other' });
  });
});
